package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.conformance.ConnectorConformanceKit;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import dev.mxshift.lab.LabRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook connector against the reference webhook server, which fronts the lab's BIND (records through RFC 2136,
 * DNSSEC through rndc and named's dnssec-policy: the {@code bind} connector): the contract in
 * docs/webhook-connector.md, DNSSEC calls included, proven by the conformance kit end to end, its DNSSEC tests
 * checking what BIND serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookConnectorIT extends ConnectorConformanceKit {

    @Override
    protected dev.mxshift.connector.ConnectorFactory factory() {
        return new WebhookConnector.Factory();
    }

    private LabRun lab;
    private DnsConnector bind;
    private ReferenceWebhookServer webhook;
    private DnsConnector connector;
    private DnsConnector wrong;
    private InetSocketAddress address;
    private LabBindZones zones;

    @BeforeAll
    void up() throws Exception {
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/dns-push-service/target/lab-webhook"));
        JsonNode endpoints = lab.endpoints();
        JsonNode tsig = endpoints.path("tsig");
        JsonNode named = null;
        for (JsonNode s : endpoints.path("authoritative")) {
            if (s.path("name").asString().equals("bind")) {
                named = s;
            }
        }
        address = new InetSocketAddress(named.path("address").asString(), named.path("port").asInt());
        Path rndcConf = Path.of(named.path("rndcConf").asString());
        Path secret = lab.directory().resolve("tsig-secret");
        Files.writeString(secret, tsig.path("secret").asString());
        ConnectorRegistry registry = new ConnectorRegistry();
        bind = registry.create("lab-bind", "bind", Map.of("server", address.getHostString() + ":" + address.getPort(), "tsig-key-name",
                tsig.path("name").asString(), "tsig-algorithm", tsig.path("algorithm").asString(), "tsig-secret", "file:" + secret,
                "rndc-conf", rndcConf.toString()));
        zones = new LabBindZones(rndcConf, tsig.path("name").asString(), "webhook-signing.test",
                named.path("signableZoneTtl").asLong());
        webhook = new ReferenceWebhookServer(bind, "reference-token-1", Set.of(zone()));
        Path token = lab.directory().resolve("webhook-token");
        Files.writeString(token, "reference-token-1");
        Path wrongToken = lab.directory().resolve("wrong-token");
        Files.writeString(wrongToken, "not-the-token");
        connector = registry.create("hoster-webhook", "webhook", Map.of("url", webhook.url().toString(), "token", "file:" + token));
        wrong = registry.create("hoster-webhook-wrong", "webhook", Map.of("url", webhook.url().toString(), "token", "file:" + wrongToken));
    }

    @AfterAll
    void down() {
        webhook.close();
        lab.close();
    }

    @Override
    protected DnsConnector connector() {
        return connector;
    }

    @Override
    protected DnsConnector connectorWithWrongCredentials() {
        return wrong;
    }

    @Override
    protected String zone() {
        return "alpineskihouse.com";
    }

    /** A new unsigned zone in the lab's BIND, which the reference webhook then hosts too. */
    @Override
    protected String unsignedZone() {
        String zone = zones.add();
        webhook.host(zone);
        return zone;
    }

    @Override
    protected List<InetSocketAddress> authoritativeServers() {
        return List.of(address);
    }

    /** named publishes CDS once its key is omnipresent: seconds with the lab policy's compressed timings (BindServer); three minutes is a bound, not a wait. */
    @Override
    protected Duration servingDelay() {
        return Duration.ofMinutes(3);
    }

    @Override
    protected void editElsewhere(RrSet set) throws Exception {
        Optional<RrSet> now = bind.read(zone(), set.owner(), set.type());
        bind.apply(new RrSetChange(zone(), set.owner(), set.type(), now.orElse(null), set));
    }
}
