package dev.mxshift.lab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lab as CI and a developer meet it: {@code infra/lab/lab up}, then the reference tools (Unbound for DNSSEC,
 * posttls-finger for DANE) must say for every catalogue scenario what the catalogue expects; what they said is
 * written to {@code reference-verdicts.json} for the discovery and validation services' agreement tests.
 * Then the write paths (RFC 2136 with and without TSIG, the PowerDNS API), and {@code lab down} leaving nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabIT {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path root = repositoryRoot();
    private final Path dir = root.resolve("infra/lab/target/lab-it");
    private final LabLayout layout = LabLayout.defaults(dir);
    private final Map<String, Map<String, String>> verdicts = new LinkedHashMap<>();
    private JsonNode endpoints;
    private List<JsonNode> tenants;

    record Run(int exit, String output) {
    }

    @BeforeAll
    void up() throws Exception {
        Run up = lab("up");
        assertThat(up.exit()).as("lab up:\n%s", up.output()).isZero();
        endpoints = JSON.readTree(Files.readAllBytes(layout.endpointsFile()));
        tenants = new ArrayList<>();
        JSON.readTree(Files.readAllBytes(dir.resolve("tenants.json"))).forEach(tenants::add);
    }

    @AfterAll
    void downAnyway() throws Exception {
        lab("down");
    }

    @Test
    @Order(1)
    void upAgainIsANoOpAndStatusSaysAllRun() throws Exception {
        Run again = lab("up");
        assertThat(again.exit()).isZero();
        assertThat(again.output()).contains("already up");
        Run status = lab("status");
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("pdns: running", "named: running", "unbound: running", "postfix: running", "nginx: running",
                "cds-scanner: running", "epp-registry: running");
        assertThat(endpoints.path("epp").path("port").asInt()).isEqualTo(EppRegistryProcess.PORT);
        assertThat(endpoints.path("epp").path("zones").toString()).contains("\"com\"", "\"ch\"").doesNotContain("lab-dns");
        assertThat(endpoints.path("registries").path("ch").path("dsPolicy").asString()).isEqualTo("cds");
        assertThat(endpoints.path("registries").path("com").path("dsPolicy").asString()).isEqualTo("manual");
        assertThat(endpoints.path("resolver").path("port").asInt()).isEqualTo(layout.unboundPort());
        assertThat(tenants).hasSizeGreaterThanOrEqualTo(ScenarioCatalogue.builtIn().size());
        Run env = lab("env");
        assertThat(env.exit()).isZero();
        assertThat(env.output()).contains("export MXSHIFT_LAB_RESOLVER='127.0.10.53:" + layout.unboundPort() + "'",
                "export MXSHIFT_LAB_TSIG_SECRET='" + endpoints.path("tsig").path("secret").asString() + "'",
                "export MXSHIFT_LAB_POWERDNS_API_KEY=", "export MXSHIFT_LAB_SMTP_TARGET='127.0.20.1:25'", "export MXSHIFT_LAB_CA=",
                "export MXSHIFT_LAB_MAIL_SUBMISSION='127.0.20.20:2525'");
    }

    @TestFactory
    @Order(2)
    Stream<DynamicTest> unboundSaysWhatEachScenarioExpects() {
        return tenants.stream().map(t -> DynamicTest.dynamicTest(t.path("scenario").asString() + " " + t.path("domain").asString(), () -> {
            Map<String, String> verdict = verdicts.computeIfAbsent(t.path("domain").asString(), d -> new LinkedHashMap<>());
            verdict.put("scenario", t.path("scenario").asString());
            String mx = dnssecVerdict(t.path("domain").asString(), Type.MX);
            verdict.put("unbound-mx", mx);
            assertThat(mx).as("Unbound's answer for %s MX", t.path("domain").asString())
                    .isEqualTo(t.path("expect").path("unbound-mx").asString());
            if (!t.path("targetHost").isNull() && t.path("expect").has("unbound-target")) {
                String target = dnssecVerdict(t.path("targetHost").asString(), Type.A);
                verdict.put("unbound-target", target);
                assertThat(target).as("Unbound's answer for %s A", t.path("targetHost").asString())
                        .isEqualTo(t.path("expect").path("unbound-target").asString());
            }
        }));
    }

    @TestFactory
    @Order(3)
    Stream<DynamicTest> posttlsFingerSaysWhatEachTargetExpects() {
        return tenants.stream().filter(t -> !t.path("targetHost").isNull()).map(t -> DynamicTest.dynamicTest(
                t.path("scenario").asString() + " " + t.path("targetHost").asString(), () -> {
                    String dane = posttlsFinger(t.path("targetHost").asString());
                    verdicts.computeIfAbsent(t.path("domain").asString(), d -> new LinkedHashMap<>()).put("dane", dane);
                    String expected = t.path("expect").path("dane").asString("verified");
                    assertThat(dane).as("posttls-finger for %s", t.path("targetHost").asString()).isEqualTo(expected);
                }));
    }

    @Test
    @Order(4)
    void theReferenceVerdictsAreWrittenForTheServicesToAgreeWith() throws IOException {
        Path file = dir.resolve("reference-verdicts.json");
        Files.writeString(file, JSON.writeValueAsString(verdicts));
        Files.copy(file, root.resolve("infra/lab/target/reference-verdicts.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(verdicts).hasSize(tenants.size());
        assertThat(verdicts.values()).allSatisfy(v -> assertThat(v).containsKey("unbound-mx"));
    }

    @Test
    @Order(5)
    void bindAcceptsAnRfc2136UpdateSignedWithTheTsigKeyAndRefusesOneWithout() throws Exception {
        JsonNode tsig = endpoints.path("tsig");
        Name zone = Name.fromString("alpineskihouse.com.");
        SimpleResolver bind = new SimpleResolver(new InetSocketAddress(layout.bindAddress(), layout.bindPort()));
        bind.setTimeout(Duration.ofSeconds(5));

        Update unsigned = new Update(zone);
        unsigned.add(Name.fromString("unsigned-probe", zone), Type.TXT, 300, "\"no key\"");
        assertThat(bind.send(unsigned).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(answers(bind, "unsigned-probe.alpineskihouse.com.", Type.TXT)).isEmpty();

        Update signed = new Update(zone);
        signed.add(Name.fromString("signed-probe", zone), Type.TXT, 300, "\"with key\"");
        bind.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, tsig.path("name").asString(), tsig.path("secret").asString()));
        Message reply = bind.send(signed);
        assertThat(reply.getRcode()).as(reply.toString()).isEqualTo(Rcode.NOERROR);
        bind.setTSIGKey(null);
        // Inline signing: the update lands in the raw zone and is served once BIND has signed it, a moment later.
        List<Record> served = await("BIND serves the signed update").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> answers(bind, "signed-probe.alpineskihouse.com.", Type.TXT), found -> !found.isEmpty());
        assertThat(served).singleElement()
                .satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly("with key"));

        // BIND re-signs the zone; the validating resolver sees the new record as secure.
        awaitVerdict("signed-probe.alpineskihouse.com", Type.TXT, "secure");
    }

    @Test
    @Order(5)
    void bindsTenantZonesAreAddedZonesWithinTheSigningPoliciesTtlAndItsOfflineSignedOnesAreNot() throws Exception {
        JsonNode bindServer = null;
        for (JsonNode s : endpoints.path("authoritative")) {
            if (s.path("name").asString().equals("bind")) {
                bindServer = s;
            }
        }
        String rndcConf = bindServer.path("rndcConf").asString();
        // rndc modzone changes an added zone for good (named's new-zone database), a named.conf zone only until a reload.
        for (String zone : List.of("bergbahn.ch", "alpineskihouse.com")) {
            assertThat(rndc(rndcConf, "zonestatus", zone)).as("rndc zonestatus %s", zone).contains("reconfigurable via modzone: yes");
        }
        assertThat(rndc(rndcConf, "zonestatus", "expired-signatures.com")).contains("reconfigurable via modzone: no");
        // named refuses to sign a zone holding a TTL above its policy's max-zone-ttl: the unsigned zone stays within it.
        long ttl = bindServer.path("signableZoneTtl").asLong();
        SimpleResolver bind = new SimpleResolver(new InetSocketAddress(layout.bindAddress(), layout.bindPort()));
        bind.setTCP(true);
        Message axfr = bind.send(Message.newQuery(Record.newRecord(Name.fromString("bergbahn.ch."), Type.AXFR, DClass.IN)));
        assertThat(axfr.getSection(Section.ANSWER)).as("bergbahn.ch's records").hasSizeGreaterThan(3)
                .allSatisfy(r -> assertThat(r.getTTL()).as("%s", r).isPositive().isLessThanOrEqualTo(ttl));
    }

    private static String rndc(String conf, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("rndc", "-c", conf));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("rndc %s: %s", arguments[0], output).isZero();
        return output;
    }

    @Test
    @Order(6)
    void thePowerDnsApiChangesARecordThatIsThenServedSigned() throws Exception {
        JsonNode api = endpoints.path("powerdnsApi");
        String body = """
                {"rrsets":[{"name":"api-probe.contoso.com.","type":"TXT","ttl":60,"changetype":"REPLACE",
                 "records":[{"content":"\\"changed through the API\\"","disabled":false}]}]}""";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api.path("url").asString() + "/servers/localhost/zones/contoso.com."))
                .header("X-API-Key", api.path("apiKey").asString())
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);

        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api.path("url").asString() + "/servers/localhost/zones/contoso.com."))
                .header("X-API-Key", "wrong").method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);

        SimpleResolver powerDns = new SimpleResolver(new InetSocketAddress(layout.powerDnsAddress(), layout.powerDnsPort()));
        Message query = Message.newQuery(Record.newRecord(Name.fromString("api-probe.contoso.com."), Type.TXT, DClass.IN));
        query.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        Message reply = powerDns.send(query);
        assertThat(reply.getSectionRRsets(Section.ANSWER)).singleElement().satisfies(set -> {
            assertThat(set.first().rdataToString()).isEqualTo("\"changed through the API\"");
            assertThat(set.sigs()).as("a fresh RRSIG").isNotEmpty();
        });
    }

    @TestFactory
    @Order(7)
    Stream<DynamicTest> eachMtaStsPolicyIsServedOverHttpsUnderTheLabCa() {
        return tenants.stream().filter(t -> t.path("expect").has("mta-sts")).map(t -> DynamicTest.dynamicTest(
                t.path("domain").asString(), () -> {
                    String host = "mta-sts." + t.path("domain").asString();
                    assertThat(dnssecVerdict("_mta-sts." + t.path("domain").asString(), Type.TXT)).isEqualTo("secure");
                    List<Record> addresses = answers(new SimpleResolver(new InetSocketAddress(layout.unboundAddress(), layout.unboundPort())),
                            host + ".", Type.A);
                    assertThat(addresses).as("%s resolves into the lab", host).isNotEmpty();
                    int port = endpoints.path("mtaSts").path("port").asInt();
                    Process curl = new ProcessBuilder("curl", "-sS", "--fail", "--max-time", "20",
                            "--cacert", endpoints.path("caFile").asString(),
                            "--resolve", host + ":" + port + ":" + addresses.get(0).rdataToString(),
                            "https://" + host + ":" + port + "/.well-known/mta-sts.txt").redirectErrorStream(true).start();
                    String policy = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(curl.exitValue()).as(policy).isZero();
                    assertThat(policy).startsWith("version: STSv1\r\n").contains("mode: enforce\r\n", "max_age: ");
                    if (t.path("scenario").asString().equals("mta-sts-wildcard")) {
                        assertThat(policy).contains("mx: *.mx.microsoft\r\n");
                    } else {
                        assertThat(policy).contains("mx: " + t.path("targetHost").asString() + "\r\n");
                    }
                }));
    }

    @Test
    @Order(8)
    void aZoneOnTwoServersIsServedSignedByBothAndTheSecondaryFollowsChanges() throws Exception {
        Name zone = Name.fromString("firstupconsultants.com.");
        SimpleResolver powerDns = new SimpleResolver(new InetSocketAddress(layout.powerDnsAddress(), layout.powerDnsPort()));
        SimpleResolver bind = new SimpleResolver(new InetSocketAddress(layout.bindAddress(), layout.bindPort()));
        awaitSameSerial(zone, powerDns, bind);
        assertThat(answers(bind, zone.toString(), Type.MX)).isEqualTo(answers(powerDns, zone.toString(), Type.MX));
        assertThat(answers(bind, zone.toString(), Type.NS)).hasSize(2);

        long before = serial(powerDns, zone);
        JsonNode api = endpoints.path("powerdnsApi");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api.path("url").asString() + "/servers/localhost/zones/" + zone))
                .header("X-API-Key", api.path("apiKey").asString()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("""
                        {"rrsets":[{"name":"propagation-probe.firstupconsultants.com.","type":"TXT","ttl":60,"changetype":"REPLACE",
                         "records":[{"content":"\\"v2\\"","disabled":false}]}]}""")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        assertThat(serial(powerDns, zone)).as("the API change bumps the serial").isGreaterThan(before);
        awaitSameSerial(zone, powerDns, bind);
        assertThat(answers(bind, "propagation-probe.firstupconsultants.com.", Type.TXT)).hasSize(1);
    }

    private static long serial(SimpleResolver server, Name zone) throws IOException {
        return ((org.xbill.DNS.SOARecord) answers(server, zone.toString(), Type.SOA).get(0)).getSerial();
    }

    private static void awaitSameSerial(Name zone, SimpleResolver primary, SimpleResolver secondary) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<Record> soa = answers(secondary, zone.toString(), Type.SOA);
            assertThat(soa).as("BIND's SOA for %s", zone).isNotEmpty();
            assertThat(((org.xbill.DNS.SOARecord) soa.get(0)).getSerial()).as("BIND's serial for %s", zone).isEqualTo(serial(primary, zone));
        });
    }

    @Test
    @Order(100)
    void downStopsEveryServerAndFreesEveryPort() throws Exception {
        Run down = lab("down");
        assertThat(down.exit()).as(down.output()).isZero();
        assertThat(lab("down").output()).contains("nothing was running");
        assertThat(lab("status").exit()).isEqualTo(3);
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(layout.powerDnsAddress(), layout.powerDnsPort());
        ports.put(layout.powerDnsAddress() + " (API)", layout.powerDnsApiPort());
        ports.put(layout.registryAddress(), layout.registryPort());
        ports.put(layout.registryAddress() + " (API)", layout.registryApiPort());
        ports.put(layout.bindAddress(), layout.bindPort());
        ports.put(layout.unboundAddress(), layout.unboundPort());
        ports.put(layout.unboundAddress() + " (53)", 53);
        ports.put(layout.smtpGoodAddress(), layout.smtpPort());
        ports.put(layout.smtpMismatchAddress(), layout.smtpPort());
        ports.put(layout.smtpLegacyAddress(), layout.smtpPort());
        ports.put(layout.mtaStsAddress(), layout.mtaStsPort());
        ports.forEach((address, port) -> assertThat(ServerProcess.tcpOpen(address.split(" ")[0], port))
                .as("%s:%d still open", address, port).isFalse());
        Process pgrep = new ProcessBuilder("pgrep", "-af", dir.toString()).start();
        pgrep.waitFor(10, TimeUnit.SECONDS);
        assertThat(new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.contains("pgrep")).toList()).as("processes still using the lab directory").isEmpty();
    }

    // --- the reference tools ---

    private String dnssecVerdict(String name, int type) throws IOException {
        return ReferenceTools.unbound(layout.unboundAddress(), layout.unboundPort(), name, type).verdict();
    }

    private void awaitVerdict(String name, int type, String expected) throws Exception {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(dnssecVerdict(name, type)).as("Unbound's answer for %s", name).isEqualTo(expected));
    }

    private String posttlsFinger(String host) throws Exception {
        return ReferenceTools.posttlsFinger(Path.of(endpoints.path("resolvConf").asString()), host, layout.smtpPort());
    }

    private static List<Record> answers(SimpleResolver resolver, String name, int type) throws IOException {
        Message reply = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
        return reply.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    }

    private Run lab(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("infra/lab/lab").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MXSHIFT_LAB_DIR", dir.toString());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(600, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        return p;
    }
}
