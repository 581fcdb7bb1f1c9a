package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.conformance.ConnectorConformanceKit;
import dev.mxshift.dnspush.engine.ChangeEngine;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import dev.mxshift.dnspush.engine.PushOutcome;
import dev.mxshift.lab.LabRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RFC 2136 connector pointed at the lab's PowerDNS, which takes TSIG-signed updates and checks their
 * prerequisites: the conformance kit, and the race that PowerDNS's HTTP API cannot close (an edit through the API in
 * the instant between mxshift's read and its write) refused by PowerDNS itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Rfc2136OnPowerDnsIT extends ConnectorConformanceKit {

    @Override
    protected dev.mxshift.connector.ConnectorFactory factory() {
        return new Rfc2136Connector.Factory();
    }

    private LabRun lab;
    private DnsConnector updates;
    private DnsConnector wrong;
    private DnsConnector api;

    @BeforeAll
    void up() throws Exception {
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/dns-push-service/target/lab-pdns-updates"));
        JsonNode endpoints = lab.endpoints();
        String server = "";
        for (JsonNode s : endpoints.path("authoritative")) {
            if (s.path("name").asString().equals("powerdns")) {
                server = s.path("address").asString() + ":" + s.path("port").asInt();
            }
        }
        Path secret = lab.directory().resolve("tsig-secret");
        Files.writeString(secret, endpoints.path("tsig").path("secret").asString());
        Path wrongSecret = lab.directory().resolve("wrong-tsig-secret");
        Files.writeString(wrongSecret, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        Path key = lab.directory().resolve("api-key");
        Files.writeString(key, endpoints.path("powerdnsApi").path("apiKey").asString());
        ConnectorRegistry registry = new ConnectorRegistry();
        Map<String, String> settings = Map.of("server", server, "tsig-key-name", endpoints.path("tsig").path("name").asString(),
                "tsig-secret", "file:" + secret);
        updates = registry.create("lab-powerdns-updates", "rfc2136", settings);
        wrong = registry.create("lab-powerdns-updates-wrong", "rfc2136", Map.of("server", server,
                "tsig-key-name", endpoints.path("tsig").path("name").asString(), "tsig-secret", "file:" + wrongSecret));
        api = registry.create("lab-powerdns-api", "powerdns", Map.of("url", endpoints.path("powerdnsApi").path("url").asString(),
                "api-key", "file:" + key));
    }

    @AfterAll
    void down() {
        lab.close();
    }

    @Override
    protected DnsConnector connector() {
        return updates;
    }

    @Override
    protected DnsConnector connectorWithWrongCredentials() {
        return wrong;
    }

    @Override
    protected String zone() {
        return "contoso.com";
    }

    /** Someone using PowerDNS's API (or its web front end) meanwhile. */
    @Override
    protected void editElsewhere(RrSet set) throws Exception {
        Optional<RrSet> now = api.read(zone(), set.owner(), set.type());
        api.apply(new RrSetChange(zone(), set.owner(), set.type(), now.orElse(null), set));
    }

    @Test
    void anEditThroughTheApiBetweenTheEnginesReadAndItsWriteIsRefusedByPowerDns() throws Exception {
        RrSet planned = new RrSet("race." + zone(), "MX", 300, List.of("0 legacy.mail.protection.outlook.com."));
        RrSet edited = new RrSet("race." + zone(), "MX", 300, List.of("0 legacy.mail.protection.outlook.com.", "10 backup.example.net."));
        editElsewhere(planned);
        DnsConnector racing = new DnsConnector() {
            @Override
            public String id() {
                return updates.id();
            }

            @Override
            public dev.mxshift.connector.Capabilities capabilities() {
                return updates.capabilities();
            }

            @Override
            public Optional<RrSet> read(String zone, String owner, String type) throws dev.mxshift.connector.ConnectorException {
                return updates.read(zone, owner, type);
            }

            @Override
            public dev.mxshift.connector.ApplyReceipt apply(RrSetChange change) throws dev.mxshift.connector.ConnectorException {
                try {
                    editElsewhere(edited);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return updates.apply(change);
            }
        };
        PushOutcome outcome = ChangeEngine.push(racing, new RrSetChange(zone(), planned.owner(), "MX", planned,
                new RrSet(planned.owner(), "MX", 300, List.of("0 contoso-com.o-v1.mx.microsoft."))), false);
        assertThat(outcome).isInstanceOfSatisfying(PushOutcome.Conflict.class, c -> assertThat(c.actual().sameAs(edited)).isTrue());
        assertThat(api.read(zone(), planned.owner(), "MX")).hasValueSatisfying(s -> assertThat(s.sameAs(edited)).as("the edit survives").isTrue());
    }
}
