package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.conformance.ConnectorConformanceKit;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import dev.mxshift.lab.LabRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The BIND connector against the lab's real BIND 9.18: records through RFC 2136 (the kit's record tests, on the
 * lab's TSIG-updated alpineskihouse.com), DNSSEC through rndc and named's own dnssec-policy. Each DNSSEC test of the
 * kit gets a zone of its own, added with {@code rndc addzone} as a hoster's provisioning would, since named keeps a
 * zone that once published a DS on its way out for a day (the built-in insecure policy's parent DS TTL).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BindConnectorIT extends ConnectorConformanceKit {

    @Override
    protected dev.mxshift.connector.ConnectorFactory factory() {
        return new BindConnector.Factory();
    }

    private LabRun lab;
    private String server;
    private InetSocketAddress address;
    private Path rndcConf;
    private Path keyFile;
    private JsonNode tsig;
    /** The largest TTL the lab's BIND signs a zone with (its policies' max-zone-ttl): every TTL of a kit zone. */
    private long ttl;
    private DnsConnector connector;
    private DnsConnector wrong;
    private LabBindZones zones;

    @BeforeAll
    void up() throws Exception {
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/dns-push-service/target/lab-bind-signing"));
        JsonNode endpoints = lab.endpoints();
        tsig = endpoints.path("tsig");
        JsonNode bind = null;
        for (JsonNode s : endpoints.path("authoritative")) {
            if (s.path("name").asString().equals("bind")) {
                bind = s;
            }
        }
        address = new InetSocketAddress(bind.path("address").asString(), bind.path("port").asInt());
        server = bind.path("address").asString() + ":" + bind.path("port").asInt();
        rndcConf = Path.of(bind.path("rndcConf").asString());
        ttl = bind.path("signableZoneTtl").asLong();
        assertThat(ttl).as("signableZoneTtl of the lab's BIND").isPositive();
        Path secret = lab.directory().resolve("tsig-secret");
        Files.writeString(secret, tsig.path("secret").asString());
        Path wrongSecret = lab.directory().resolve("wrong-tsig-secret");
        Files.writeString(wrongSecret, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        keyFile = lab.directory().resolve("nsupdate.key");
        Files.writeString(keyFile, "key \"" + tsig.path("name").asString() + "\" {\n algorithm " + tsig.path("algorithm").asString()
                + ";\n secret \"" + tsig.path("secret").asString() + "\";\n};\n");
        ConnectorRegistry registry = new ConnectorRegistry();
        Map<String, String> settings = Map.of("server", server, "tsig-key-name", tsig.path("name").asString(),
                "tsig-algorithm", tsig.path("algorithm").asString(), "tsig-secret", "file:" + secret, "rndc-conf", rndcConf.toString());
        connector = registry.create("lab-bind-signing", "bind", settings);
        Map<String, String> wrongSettings = new HashMap<>(settings);
        wrongSettings.put("tsig-secret", "file:" + wrongSecret);
        wrong = registry.create("lab-bind-signing-wrong", "bind", wrongSettings);
        zones = new LabBindZones(rndcConf, tsig.path("name").asString(), "bind-signing.test", ttl);
    }

    @AfterAll
    void down() {
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

    /** A new unsigned zone, added to the running named with rndc addzone (TTLs within the lab policy's max-zone-ttl). */
    @Override
    protected String unsignedZone() {
        return zones.add();
    }

    @Override
    protected List<InetSocketAddress> authoritativeServers() {
        return List.of(address);
    }

    /** named publishes CDS once its key is omnipresent: with the lab policy's timings, in seconds. */
    @Override
    protected Duration servingDelay() {
        return Duration.ofMinutes(3);
    }

    @Override
    protected void editElsewhere(RrSet set) throws Exception {
        String[] hostPort = server.split(":");
        StringBuilder script = new StringBuilder("server " + hostPort[0] + " " + hostPort[1] + "\nzone " + zone() + "\n"
                + "update delete " + set.owner() + ". " + set.type() + "\n");
        for (String rdata : set.rdata()) {
            script.append("update add ").append(set.owner()).append(". ").append(set.ttl()).append(' ').append(set.type()).append(' ').append(rdata).append('\n');
        }
        script.append("send\n");
        Process process = new ProcessBuilder("nsupdate", "-k", keyFile.toString()).redirectErrorStream(true).start();
        process.getOutputStream().write(script.toString().getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("nsupdate: %s", output).isZero();
    }

    /**
     * A zone written in named.conf would lose its policy at the next reconfig: the connector refuses to sign it. The lab
     * keeps its offline-signed broken zones there (its tenant zones are added ones, like the kit's).
     */
    @Test
    void aZoneConfiguredInNamedConfIsNotSignedThroughRndc() {
        assertThatThrownBy(() -> connector.sign("expired-signatures.com", SigningRequest.defaults()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT);
                    assertThat(e.getMessage()).contains("named.conf").contains("rndc addzone");
                });
    }

    @Test
    void anUnknownZoneIsAPermanentFailure() {
        assertThatThrownBy(() -> connector.signing("not-hosted.invalid"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT));
    }

    @Test
    void noSecretOfTheRndcKeyOrTsigIsInAnError() throws Exception {
        String rndcFile = Files.readString(rndcConf);
        String rndcSecret = rndcFile.replaceAll("(?s).*secret \"([^\"]+)\".*", "$1");
        assertThatThrownBy(() -> connector.signing("not-hosted.invalid"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                        .doesNotContain(rndcSecret).doesNotContain(tsig.path("secret").asString()));
    }
}
