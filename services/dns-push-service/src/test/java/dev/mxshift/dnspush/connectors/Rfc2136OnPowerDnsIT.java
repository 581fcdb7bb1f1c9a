package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.dnspush.engine.ChangeEngine;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import dev.mxshift.dnspush.engine.PushOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
class Rfc2136OnPowerDnsIT extends ConnectorKitFixture {

    private DnsConnector api;

    Rfc2136OnPowerDnsIT() {
        super(new Rfc2136Connector.Factory(), "contoso.com");
    }

    @BeforeAll
    void up() throws Exception {
        ConnectorLab lab = closedAfterAll(ConnectorLab.up("lab-pdns-updates"));
        String server = ConnectorLab.hostAndPort(lab.authoritative("powerdns"));
        Path secret = lab.tsigSecretFile();
        Path key = lab.secretFile("api-key", lab.powerDnsApi().path("apiKey").asString());
        ConnectorRegistry registry = new ConnectorRegistry();
        Map<String, String> settings = Map.of("server", server, "tsig-key-name", lab.tsig().path("name").asString(),
                "tsig-secret", "file:" + secret);
        connector = registry.create("lab-powerdns-updates", "rfc2136", settings);
        wrong = registry.create("lab-powerdns-updates-wrong", "rfc2136", lab.withWrongTsigSecret(settings));
        api = registry.create("lab-powerdns-api", "powerdns", Map.of("url", lab.powerDnsApi().path("url").asString(),
                "api-key", "file:" + key));
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
                return connector.id();
            }

            @Override
            public dev.mxshift.connector.Capabilities capabilities() {
                return connector.capabilities();
            }

            @Override
            public Optional<RrSet> read(String zone, String owner, String type) throws dev.mxshift.connector.ConnectorException {
                return connector.read(zone, owner, type);
            }

            @Override
            public dev.mxshift.connector.ApplyReceipt apply(RrSetChange change) throws dev.mxshift.connector.ConnectorException {
                try {
                    editElsewhere(edited);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return connector.apply(change);
            }
        };
        PushOutcome outcome = ChangeEngine.push(racing, new RrSetChange(zone(), planned.owner(), "MX", planned,
                new RrSet(planned.owner(), "MX", 300, List.of("0 contoso-com.o-v1.mx.microsoft."))), false);
        assertThat(outcome).isInstanceOfSatisfying(PushOutcome.Conflict.class, c -> assertThat(c.actual().sameAs(edited)).isTrue());
        assertThat(api.read(zone(), planned.owner(), "MX")).hasValueSatisfying(s -> assertThat(s.sameAs(edited)).as("the edit survives").isTrue());
    }
}
