package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.conformance.ConnectorConformanceKit;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The zone-file connector against a real BIND 9 (Debian's named) started by this test on 127.0.0.1, loading one
 * zone from a file and reloaded through rndc: the conformance kit, and the change served by BIND after the reload.
 * A private named rather than the lab's, because the lab's BIND zones take dynamic updates and a file-managed zone
 * must not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZoneFileConnectorIT extends ConnectorConformanceKit {

    @Override
    protected dev.mxshift.connector.ConnectorFactory factory() {
        return new ZoneFileConnector.Factory();
    }

    private static final String ZONE = "zonefile.example";
    private static final int DNS_PORT = 5319;
    private static final int RNDC_PORT = 5320;

    private Path dir;
    private Process named;
    private DnsConnector connector;

    @BeforeAll
    void up() throws Exception {
        dir = Files.createDirectories(Path.of("target/zonefile-bind").toAbsolutePath());
        try (var old = Files.list(dir)) {
            for (Path p : old.toList()) {
                Files.deleteIfExists(p);
            }
        }
        String secret = java.util.Base64.getEncoder().encodeToString(java.security.SecureRandom.getInstanceStrong().generateSeed(32));
        String key = "key \"mxshift-rndc\" { algorithm hmac-sha256; secret \"" + secret + "\"; };\n";
        Files.writeString(dir.resolve("named.conf"), "options {\n  directory \"" + dir + "\";\n  listen-on port " + DNS_PORT
                + " { 127.0.0.1; };\n  listen-on-v6 { none; };\n  pid-file \"" + dir.resolve("named.pid") + "\";\n  session-keyfile \""
                + dir.resolve("session.key") + "\";\n  recursion no;\n  notify no;\n};\n" + key
                + "controls { inet 127.0.0.1 port " + RNDC_PORT + " allow { 127.0.0.1; } keys { \"mxshift-rndc\"; }; };\n"
                + "zone \"" + ZONE + "\" { type primary; file \"" + dir.resolve(ZONE + ".db") + "\"; };\n");
        Files.writeString(dir.resolve("rndc.conf"), key + "options { default-key \"mxshift-rndc\"; default-server 127.0.0.1; default-port "
                + RNDC_PORT + "; };\n");
        Files.writeString(dir.resolve(ZONE + ".db"), "; kept by hand\n$TTL 3600\n@ IN SOA ns1." + ZONE + ". hostmaster." + ZONE
                + ". 2026110101 3600 600 604800 300\n@ IN NS ns1." + ZONE + ".\nns1 IN A 127.0.0.1\n@ IN MX 0 zonefile-example.mail.protection.outlook.com.\n");
        named = new ProcessBuilder("named", "-g", "-c", dir.resolve("named.conf").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("named.log").toFile()).start();
        await("named answers (see " + dir.resolve("named.log") + ")").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !mx().isEmpty());
        connector = new ConnectorRegistry().create("bind-files", "zonefile", Map.of("directory", dir.toString(),
                "reload-command", "rndc -c " + dir.resolve("rndc.conf") + " reload {zone}"));
    }

    @AfterAll
    void down() throws Exception {
        named.destroy();
        if (!named.waitFor(10, TimeUnit.SECONDS)) {
            named.destroyForcibly();
        }
    }

    @Override
    protected DnsConnector connector() {
        return connector;
    }

    @Override
    protected DnsConnector connectorWithWrongCredentials() {
        throw new UnsupportedOperationException("zone files need no credentials");
    }

    @Override
    protected boolean hasCredentials() {
        return false;
    }

    @Override
    protected String zone() {
        return ZONE;
    }

    /** A person editing the file: the owner's lines of that type replaced, the rest kept as it was. */
    @Override
    protected void editElsewhere(RrSet set) throws Exception {
        Path file = dir.resolve(ZONE + ".db");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] fields = line.trim().split("\\s+");
            boolean same = fields.length > 3 && fields[0].equalsIgnoreCase(set.owner() + ".") && List.of(fields).contains(set.type());
            if (!same) {
                lines.add(line);
            }
        }
        for (String rdata : set.rdata()) {
            lines.add(set.owner() + ". " + set.ttl() + " IN " + set.type() + " " + rdata);
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    @Test
    void bindServesTheChangeAfterTheReload() throws Exception {
        RrSet before = connector.read(ZONE, ZONE, "MX").orElseThrow();
        RrSet after = new RrSet(ZONE, "MX", 300, List.of("0 zonefile-example.mail.protection.outlook.com.", "20 zonefile-example.o-v1.mx.microsoft."));
        connector.apply(new RrSetChange(ZONE, ZONE, "MX", before, after));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertThat(mx()).extracting(Record::rdataToString)
                .containsExactlyInAnyOrder("0 zonefile-example.mail.protection.outlook.com.", "20 zonefile-example.o-v1.mx.microsoft."));
        assertThat(Files.readString(dir.resolve(ZONE + ".db"))).contains("written by mxshift");
    }

    @Test
    void aZoneThatWouldNotLoadIsNeverPutInPlace() throws Exception {
        String good = Files.readString(dir.resolve(ZONE + ".db"));
        Optional<RrSet> cname = connector.read(ZONE, "ns1." + ZONE, "CNAME");
        assertThat(cname).isEmpty();
        // A CNAME beside the A record of ns1 is what named-checkzone refuses (RFC 1034 section 3.6.2).
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> connector.apply(new RrSetChange(ZONE, "ns1." + ZONE, "CNAME", null,
                        new RrSet("ns1." + ZONE, "CNAME", 300, List.of("elsewhere.example.")))))
                .isInstanceOfSatisfying(dev.mxshift.connector.ConnectorException.class,
                        e -> assertThat(e.getMessage()).contains("check command failed"));
        assertThat(Files.readString(dir.resolve(ZONE + ".db"))).isEqualTo(good);
    }

    private List<Record> mx() throws Exception {
        SimpleResolver server = new SimpleResolver(new InetSocketAddress("127.0.0.1", DNS_PORT));
        server.setTimeout(Duration.ofSeconds(1));
        try {
            Message reply = server.send(Message.newQuery(Record.newRecord(Name.fromString(ZONE + "."), Type.MX, DClass.IN)));
            return reply.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.MX).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
