package dev.mxshift.dnspush.parent;

import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.parent.DsSubmission;
import dev.mxshift.lab.LabRun;
import dev.mxshift.service.SecretReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link EppRegistrar} against the lab registry's EPP server (real TLS with the lab CA, real RFC 5734 framing, a strict
 * RFC 5730/5731/5910 server) that writes the DS into the lab's registry zones: what the registry zone's server then
 * answers is what counts, asked with dnsjava. A repeat sends no update (the zone's SOA serial, which every API change
 * bumps, stays); refusals come back as the kinds the engine acts on, with the registry's words and never the password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EppRegistrarIT {

    private static final String ZONE = "northwind.net";
    private static final String DS_1 = "11111 13 2 " + "1A".repeat(32);
    private static final String DS_2 = "22222 13 2 " + "2B".repeat(32);
    private static final String DS_3 = "33333 13 4 " + "3C".repeat(48);

    private LabRun lab;
    private JsonNode epp;
    private EppRegistrar registrar;
    private SimpleResolver netServer;

    @BeforeAll
    void up() throws Exception {
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/dns-push-service/target/lab-epp"));
        epp = lab.endpoints().path("epp");
        assertThat(epp.path("port").asInt()).as("the lab runs an EPP server").isPositive();
        registrar = registrar("ds-data", "file:" + epp.path("passwordFile").asString(), epp.path("caFile").asString());
        netServer = registryServer("net");
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private EppRegistrar registrar(String face, String password, String caFile) throws ConnectorException {
        Map<String, String> settings = new HashMap<>(Map.of("host", epp.path("host").asString(), "port", epp.path("port").asString(),
                "ca-file", caFile, "client-id", epp.path("clientId").asString(), "password", password, "interface", face,
                "timeout-seconds", "10"));
        return new EppRegistrar(new ConnectorConfig("lab-registry", "epp", settings, r -> new SecretReference(r).resolve()));
    }

    /** The server of a registry zone: the one endpoints.json names for a declared registry, else the registries' server. */
    private SimpleResolver registryServer(String tld) throws Exception {
        JsonNode declared = lab.endpoints().path("registries").path(tld).path("parentServers");
        if (declared.isArray() && !declared.isEmpty()) {
            return server(declared.get(0).asString());
        }
        for (JsonNode s : lab.endpoints().path("authoritative")) {
            if (s.path("name").asString().equals("registry")) {
                return server(s.path("address").asString() + ":" + s.path("port").asInt());
            }
        }
        throw new IllegalStateException("endpoints.json names no server for the registry zone " + tld);
    }

        private static SimpleResolver server(String addressAndPort) throws Exception {
        String[] parts = addressAndPort.split(":");
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(parts[0], Integer.parseInt(parts[1])));
        resolver.setTCP(true);
        return resolver;
    }

    private static List<Record> ask(SimpleResolver at, String name, int type) throws Exception {
        Message answer = at.send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN)));
        return answer.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    }

    private TreeSet<String> servedDs(SimpleResolver at, String zone) throws Exception {
        TreeSet<String> ds = new TreeSet<>();
        ask(at, zone, Type.DS).forEach(r -> ds.add(r.rdataToString().toUpperCase(Locale.ROOT)));
        return ds;
    }

    private long netSerial() throws Exception {
        return ((SOARecord) ask(netServer, "net.", Type.SOA).get(0)).getSerial();
    }

    private static DsSubmission submission(String zone, String... ds) {
        return new DsSubmission(zone, zone.substring(zone.indexOf('.') + 1), List.of(ds), List.of());
    }

    @Test
    @Order(1)
    void submitPublishesExactlyTheDsAtTheRegistryZone() throws Exception {
        assertThat(servedDs(netServer, ZONE)).as("no DS before").isEmpty();
        long serial = netSerial();
        String evidence = registrar.submit(submission(ZONE, DS_1));
        assertThat(netSerial()).as("an update changes the registry zone's serial (so an unchanged one means no update)").isGreaterThan(serial);
        assertThat(evidence).contains("set the DS of northwind.net to [" + DS_1 + "]", "EPP 1000", "svTRID LAB-EPP-");
        assertThat(servedDs(netServer, ZONE)).containsExactly(DS_1);
    }

    @Test
    @Order(2)
    void aRepeatedSubmitSendsNoUpdateAndChangesNothing() throws Exception {
        long serial = netSerial();
        String evidence = registrar.submit(submission(ZONE, DS_1.toLowerCase(Locale.ROOT)));
        assertThat(evidence).contains("already holds exactly the DS [" + DS_1 + "]", "no update sent");
        assertThat(netSerial()).as("the registry zone was not changed").isEqualTo(serial);
        assertThat(servedDs(netServer, ZONE)).containsExactly(DS_1);
    }

    @Test
    @Order(3)
    void aDifferentDsReplacesTheOldOneWhollyAndOnlyWhatDiffersIsSent() throws Exception {
        String evidence = registrar.submit(submission(ZONE, DS_2, DS_3));
        assertThat(evidence).contains("removed [" + DS_1 + "], added [" + DS_2 + ", " + DS_3 + "]");
        assertThat(servedDs(netServer, ZONE)).containsExactlyInAnyOrder(DS_2, DS_3);
        evidence = registrar.submit(submission(ZONE, DS_3));
        assertThat(evidence).contains("removed [" + DS_2 + "], added []");
        assertThat(servedDs(netServer, ZONE)).containsExactly(DS_3);
    }

    @Test
    @Order(4)
    void withdrawRemovesEveryDsAndARepeatSendsNothing() throws Exception {
        registrar.submit(submission(ZONE, DS_1, DS_2));
        String evidence = registrar.withdraw(ZONE, "net");
        assertThat(evidence).contains("removed every DS of northwind.net", DS_1, DS_2);
        assertThat(servedDs(netServer, ZONE)).isEmpty();
        long serial = netSerial();
        assertThat(registrar.withdraw(ZONE, "net")).contains("holds no DS for northwind.net; no update sent");
        assertThat(netSerial()).isEqualTo(serial);
    }

    @Test
    @Order(5)
    void aWrongPasswordIsRefusedClearlyAndTheTextHoldsNeitherPassword() throws Exception {
        Path wrong = lab.directory().resolve("wrong-epp-password");
        Files.writeString(wrong, "not-the-one-42");
        String right = Files.readString(Path.of(epp.path("passwordFile").asString())).strip();
        EppRegistrar refused = registrar("ds-data", "file:" + wrong, epp.path("caFile").asString());
        assertThatThrownBy(() -> refused.submit(submission(ZONE, DS_1)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.AUTHENTICATION))
                .hasMessageContaining("log in as mxshift-lab: EPP 2200 Authentication error")
                .hasMessageContaining("check client-id and the password")
                .hasMessageNotContaining("not-the-one-42").hasMessageNotContaining(right);
        assertThat(servedDs(netServer, ZONE)).isEmpty();
    }

    @Test
    @Order(6)
    void anUnknownDomainIs2303AndPermanent() {
        assertThatThrownBy(() -> registrar.submit(submission("never-registered-here.net", DS_1)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT))
                .hasMessageContaining("EPP 2303 Object does not exist")
                .hasMessageContaining("never-registered-here.net is not registered in net");
    }

    @Test
    @Order(7)
    void theRegistrysPolicyRefusalsArePermanentWithItsReason() throws Exception {
        assertThatThrownBy(() -> registrar.submit(submission(ZONE, "11111 13 1 " + "AB".repeat(20))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT))
                .hasMessageContaining("EPP 2306 Parameter value policy error").hasMessageContaining("digest type 1 is not accepted");
        assertThatThrownBy(() -> registrar.submit(submission(ZONE, "11111 13 2 " + "AB".repeat(20))))
                .hasMessageContaining("EPP 2306").hasMessageContaining("a digest of type 2 is 32 bytes, not 20");
        assertThatThrownBy(() -> registrar.submit(submission(ZONE, "11111 5 2 " + "AB".repeat(32))))
                .hasMessageContaining("EPP 2306").hasMessageContaining("DNSSEC algorithm 5 is not accepted");
        assertThat(servedDs(netServer, ZONE)).as("a refused update changes nothing").isEmpty();
    }

    @Test
    @Order(8)
    void aKeyDataRegistryTakesTheKeySigningKeyInPlaceOfTheDsItHeldAndPublishesItsDs() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        Name zone = Name.fromString("proseware.de.");
        DNSKEYRecord ksk = new DNSKEYRecord(zone, DClass.IN, 3600, 257, DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256,
                generator.generateKeyPair().getPublic());
        DNSKEYRecord zsk = new DNSKEYRecord(zone, DClass.IN, 3600, 256, DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256,
                generator.generateKeyPair().getPublic());
        String ds = new DSRecord(zone, DClass.IN, 0, DNSSEC.Digest.SHA256, ksk).rdataToString().toUpperCase(Locale.ROOT);
        DsSubmission submission = new DsSubmission("proseware.de", "de", List.of(ds), List.of(ksk.rdataToString(), zsk.rdataToString()));
        SimpleResolver deServer = registryServer("de");
        assertThat(epp.path("keyDataZones").toString()).contains("\"de\"");
        assertThat(servedDs(deServer, "proseware.de")).as("the lab published a DS for the signed proseware.de").hasSize(1).doesNotContain(ds);

        assertThatThrownBy(() -> registrar.submit(submission)).as("the DS interface at a registry that takes keys")
                .hasMessageContaining("EPP 2306").hasMessageContaining("takes keyData, not dsData");
        EppRegistrar keys = registrar("key-data", "file:" + epp.path("passwordFile").asString(), epp.path("caFile").asString());
        assertThat(keys.submit(submission)).contains("took 1 DNSKEY(s) of proseware.de");
        assertThat(servedDs(deServer, "proseware.de")).as("the registry derived the DS of the key-signing key only").containsExactly(ds);
        assertThat(keys.submit(submission)).contains("already holds exactly the key-signing DNSKEYs", "no update sent");
        keys.withdraw("proseware.de", "de");
        assertThat(servedDs(deServer, "proseware.de")).isEmpty();
    }

    @Test
    @Order(9)
    void aRegistryWhoseCertificateTheCaFileDoesNotVouchForIsNeverLoggedInto() throws Exception {
        Path otherCa = lab.directory().resolve("pki/mismatch.chain.pem");
        EppRegistrar untrusting = registrar("ds-data", "file:" + epp.path("passwordFile").asString(), otherCa.toString());
        assertThatThrownBy(() -> untrusting.submit(submission(ZONE, DS_1)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT))
                .hasMessageContaining("the TLS handshake with " + epp.path("host").asString() + ":" + epp.path("port").asInt() + " failed");
        assertThat(servedDs(netServer, ZONE)).isEmpty();
    }

    @Test
    @Order(10)
    void aClientCertificateIsPresentedWhenConfigured() throws Exception {
        Path pki = lab.directory().resolve("pki");
        Map<String, String> settings = new HashMap<>(Map.of("host", epp.path("host").asString(), "port", epp.path("port").asString(),
                "ca-file", epp.path("caFile").asString(), "client-id", epp.path("clientId").asString(),
                "password", "file:" + epp.path("passwordFile").asString(),
                "client-certificate", pki.resolve("legacy.chain.pem").toString(), "client-key", pki.resolve("legacy.key").toString()));
        EppRegistrar withCertificate = new EppRegistrar(new ConnectorConfig("lab-registry", "epp", settings, r -> new SecretReference(r).resolve()));
        assertThat(withCertificate.withdraw(ZONE, "net")).contains("no update sent");
        assertThat(Files.readString(Path.of(epp.path("log").asString())))
                .contains("login mxshift-lab with the client certificate CN=mail.protection.outlook.com")
                .contains("login mxshift-lab without a client certificate");
    }
}
