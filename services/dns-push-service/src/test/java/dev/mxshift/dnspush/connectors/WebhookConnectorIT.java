package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook connector against the reference webhook server, which fronts the lab's BIND (records through RFC 2136,
 * DNSSEC through rndc and named's dnssec-policy: the {@code bind} connector): the contract in
 * docs/webhook-connector.md, DNSSEC calls included, proven by the conformance kit end to end, its DNSSEC tests
 * checking what BIND serves.
 */
class WebhookConnectorIT extends BindSigningKit {

    private DnsConnector bind;
    private ReferenceWebhookServer webhook;

    WebhookConnectorIT() {
        super(new WebhookConnector.Factory(), "alpineskihouse.com");
    }

    @BeforeAll
    void up() throws Exception {
        ConnectorLab lab = closedAfterAll(ConnectorLab.up("lab-webhook"));
        JsonNode tsig = lab.tsig();
        JsonNode named = lab.authoritative("bind");
        Path secret = lab.tsigSecretFile();
        ConnectorRegistry registry = new ConnectorRegistry();
        bind = registry.create("lab-bind", "bind", Map.of("server", ConnectorLab.hostAndPort(named), "tsig-key-name",
                tsig.path("name").asString(), "tsig-algorithm", tsig.path("algorithm").asString(), "tsig-secret", "file:" + secret,
                "rndc-conf", named.path("rndcConf").asString()));
        signingAt(named, tsig.path("name").asString(), "webhook-signing.test");
        webhook = closedAfterAll(new ReferenceWebhookServer(bind, "reference-token-1", Set.of(zone())));
        Path token = lab.secretFile("webhook-token", "reference-token-1");
        Path wrongToken = lab.secretFile("wrong-token", "not-the-token");
        connector = registry.create("hoster-webhook", "webhook", Map.of("url", webhook.url().toString(), "token", "file:" + token));
        wrong = registry.create("hoster-webhook-wrong", "webhook", Map.of("url", webhook.url().toString(), "token", "file:" + wrongToken));
    }

    /** A new unsigned zone in the lab's BIND, which the reference webhook then hosts too. */
    @Override
    protected String unsignedZone() {
        String zone = super.unsignedZone();
        webhook.host(zone);
        return zone;
    }

    @Override
    protected void editElsewhere(RrSet set) throws Exception {
        Optional<RrSet> now = bind.read(zone(), set.owner(), set.type());
        bind.apply(new RrSetChange(zone(), set.owner(), set.type(), now.orElse(null), set));
    }
}
