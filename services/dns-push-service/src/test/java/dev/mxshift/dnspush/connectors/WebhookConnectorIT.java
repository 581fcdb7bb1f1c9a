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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook connector against the reference webhook server, which fronts the lab's BIND through RFC 2136: the
 * contract in docs/webhook-connector.md, proven by the conformance kit end to end.
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

    @BeforeAll
    void up() throws Exception {
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/dns-push-service/target/lab-webhook"));
        JsonNode endpoints = lab.endpoints();
        String server = "";
        for (JsonNode s : endpoints.path("authoritative")) {
            if (s.path("name").asString().equals("bind")) {
                server = s.path("address").asString() + ":" + s.path("port").asInt();
            }
        }
        Path secret = lab.directory().resolve("tsig-secret");
        Files.writeString(secret, endpoints.path("tsig").path("secret").asString());
        ConnectorRegistry registry = new ConnectorRegistry();
        bind = registry.create("lab-bind", "rfc2136", Map.of("server", server, "tsig-key-name", endpoints.path("tsig").path("name").asString(),
                "tsig-secret", "file:" + secret));
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

    @Override
    protected void editElsewhere(RrSet set) throws Exception {
        Optional<RrSet> now = bind.read(zone(), set.owner(), set.type());
        bind.apply(new RrSetChange(zone(), set.owner(), set.type(), now.orElse(null), set));
    }
}
