package dev.mxshift.lab;

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
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lab's registries against the real servers: the CDS-scanning .ch takes a first DS from a child's CDS only after
 * the required number of consistent observations, rolls and removes a DS the existing chain authorises, refuses a CDS
 * the child's servers disagree on; the manual .com never takes one. Children are signed during the test through the
 * PowerDNS API, as mxshift's DNSSEC stage does. The .li registry (50 observations) takes a first DS after one scan when
 * the DNS operator's signed zone vouches for the child's CDS/CDNSKEY with RFC 9615 signals, and not otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir = LabRun.repositoryRoot().resolve("infra/lab/target/lab-registry");
    private final LabLayout layout = LabLayout.defaults(dir);
    private LabRun lab;
    private JsonNode endpoints;
    private Path chLog;
    private Path liLog;
    private int observations;
    private BogusMonitor monitor;

    @BeforeAll
    void up() {
        lab = LabRun.up(dir, "--spec", LabRun.repositoryRoot().resolve("infra/lab/src/test/resources/registry-scenarios.yaml").toString());
        endpoints = lab.endpoints();
        chLog = Path.of(endpoints.path("registries").path("ch").path("scannerLog").asString());
        observations = endpoints.path("registries").path("ch").path("observations").asInt();
        liLog = Path.of(endpoints.path("registries").path("li").path("scannerLog").asString());
        // Watches every zone the registry acts on for the whole class, a secure and an insecure zone that nothing
        // touches, and the catalogue's bogus one: the registry's work must never make a zone bogus (invariant 6).
        monitor = new BogusMonitor(layout.unboundAddress(), layout.unboundPort(), Duration.ofMinutes(10));
        for (String zone : List.of("cds-bootstrap.ch", "cds-delete.ch", "cds-two-servers.ch", "cds-manual.com", "zweitanbieter.ch", "contoso.com",
                "northwind.net", "wingtip.com", "signale-gueltig.li", "signale-keine.li")) {
            monitor.add(zone);
        }
        monitor.start();
    }

    @AfterAll
    void down() {
        if (monitor != null) {
            monitor.stop();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void endpointsDeclareEachRegistrysPolicyAndEveryTldCachesNegativeAnswersForSeconds() throws Exception {
        JsonNode registries = endpoints.path("registries");
        assertThat(registries.path("ch").path("dsPolicy").asString()).isEqualTo("cds");
        assertThat(registries.path("com").path("dsPolicy").asString()).isEqualTo("manual");
        assertThat(registries.path("com").has("scannerLog")).isFalse();
        assertThat(registries.path("ch").path("parentServers").get(0).asString()).isEqualTo(layout.registryAddress() + ":" + layout.registryPort());
        assertThat(observations).isGreaterThanOrEqualTo(2);
        await("the scanner logs its first scan").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(chLog) && log().contains("child=cds-bootstrap.ch."));
        SOARecord soa = (SOARecord) answers(parent(), "ch.", Type.SOA).get(0);
        assertThat(soa.getMinimum()).as("RFC 2308 negative-caching TTL of .ch").isEqualTo(2);
        SOARecord comSoa = (SOARecord) answers(parent(), "com.", Type.SOA).get(0);
        // a DS a person (the demo's registrar desk) publishes under a manual TLD must be noticed as fast: same compression
        assertThat(comSoa.getMinimum()).as("the manual .com's negative-caching TTL, compressed as well").isEqualTo(2);
    }

    @Test
    @Order(2)
    void aChildSignedDuringTheTestGetsItsDsOnlyAfterTheRequiredObservationsAndTurnsSecure() throws Exception {
        Name child = Name.fromString("cds-bootstrap.ch.");
        assertThat(ReferenceTools.unbound(layout.unboundAddress(), layout.unboundPort(), "cds-bootstrap.ch", Type.MX).verdict()).isEqualTo("insecure");
        JsonNode key = sign(child, "2", "1");
        DSRecord expected = dsOfKey(child, key);

        List<Record> ds = await("the .ch registry publishes the DS").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> answers(parent(), child.toString(), Type.DS), found -> !found.isEmpty());
        assertThat(ds).singleElement().satisfies(r -> {
            assertThat(r.rdataToString().toUpperCase(Locale.ROOT)).isEqualTo(expected.rdataToString().toUpperCase(Locale.ROOT));
            assertThat(r.getTTL()).as("the lab's compressed DS TTL").isEqualTo(2);
        });
        // The log shows the count: wait 1/N ... wait N-1/N, then the publication after N observations, all of the same DS.
        List<String> lines = log().lines().filter(l -> l.contains("child=cds-bootstrap.ch.")).toList();
        int published = indexOf(lines, "published DS");
        assertThat(published).as("a publication in:\n%s", String.join("\n", lines)).isPositive();
        assertThat(lines.get(published)).contains("after " + observations + " consistent observations");
        for (int i = 1; i < observations; i++) {
            assertThat(lines.get(published - observations + i)).contains("wait " + i + "/" + observations + ": bootstrap candidate");
        }
        assertThat(lines.get(published - observations)).doesNotContain("bootstrap candidate");

        // Unbound notices the new DS within the compressed negative TTL: the child validates. Asked for the DS, whose
        // "none" Unbound keeps at most the 2 s NSEC TTL: an answer asked for while that proof still lives (the monitor
        // renews it every second) is cached whole with its verdict, so polling the DNSKEY would pin "insecure" for the
        // DNSKEY's hour (the rule in lab.md: see a zone turn secure through what the resolver has not cached).
        long start = System.nanoTime();
        await("Unbound answers the child's DS secure").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> ReferenceTools.unbound(layout.unboundAddress(), layout.unboundPort(), "cds-bootstrap.ch", Type.DS).verdict(),
                        "secure"::equals);
        System.out.printf("Unbound answered cds-bootstrap.ch secure %.1f s after the DS appeared%n", (System.nanoTime() - start) / 1e9);
        assertThat(ReferenceTools.unbound(layout.unboundAddress(), layout.unboundPort(), "cds-bootstrap.ch", Type.DNSKEY).verdict()).isEqualTo("secure");
        assertThat(ReferenceTools.unbound(layout.unboundAddress(), layout.unboundPort(), "never-asked-" + System.nanoTime() + ".cds-bootstrap.ch",
                Type.TXT).verdict()).as("a name under the child is proven absent under the new chain").isEqualTo("secure-nxdomain");
        // Steady state: the CDS keeps matching the DS, and the registry leaves it alone.
        await().atMost(Duration.ofSeconds(10)).until(() -> log().lines().anyMatch(l -> l.contains("child=cds-bootstrap.ch.") && l.contains("unchanged: DS")));
    }

    @Test
    @Order(3)
    void aRolloverIsTakenAtOnceWhenTheExistingDsValidatesItAndDnssecCdsAgrees() throws Exception {
        Name child = Name.fromString("cds-delete.ch.");
        List<Record> before = answers(parent(), child.toString(), Type.DS);
        assertThat(before).as("the catalogue's signed .ch child starts with its DS").hasSize(1);
        JsonNode second = sign(child, "2", null);
        DSRecord added = dsOfKey(child, second);
        List<Record> after = await("the registry adds the new key's DS").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> answers(parent(), child.toString(), Type.DS), found -> found.size() == 2);
        assertThat(after).extracting(r -> r.rdataToString().toUpperCase(Locale.ROOT))
                .contains(added.rdataToString().toUpperCase(Locale.ROOT), before.get(0).rdataToString().toUpperCase(Locale.ROOT));
        assertThat(log().lines().filter(l -> l.contains("child=cds-delete.ch.") && l.contains("replaced DS")).findFirst())
                .hasValueSatisfying(l -> assertThat(l).contains("dnssec-cds agrees").doesNotContain("wait "));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> ReferenceTools.unbound(layout.unboundAddress(), layout.unboundPort(), "cds-delete.ch", Type.DNSKEY).verdict(), "secure"::equals);
    }

    @Test
    @Order(4)
    void theDeleteFormRemovesTheDsAndUnboundSeesItGoneWithinSeconds() throws Exception {
        Name child = Name.fromString("cds-delete.ch.");
        assertThat(answers(parent(), child.toString(), Type.DS)).isNotEmpty();
        metadata(child, "PUBLISH-CDS", "0");
        bumpSerial(child);
        await("the registry removes the DS").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> answers(parent(), child.toString(), Type.DS), List::isEmpty);
        assertThat(log().lines().filter(l -> l.contains("child=cds-delete.ch.") && l.contains("deleted DS")).findFirst())
                .hasValueSatisfying(l -> assertThat(l).contains("cds=[0 0 0 00]", "RFC 8078 section 4"));
        await("Unbound sees the DS gone").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> ReferenceTools.unbound(layout.unboundAddress(), layout.unboundPort(), "cds-delete.ch", Type.DS).verdict(),
                        "secure-nodata"::equals);
        // The child still signs (it unsigns only once caches have let go of the DS): never bogus meanwhile.
        assertThat(ReferenceTools.unbound(layout.unboundAddress(), layout.unboundPort(), "cds-delete.ch", Type.MX).verdict()).isIn("secure", "insecure");
    }

    @Test
    @Order(5)
    void aCdsThePrimaryAndTheSecondaryDisagreeOnIsNotTaken() throws Exception {
        Name child = Name.fromString("cds-two-servers.ch.");
        // Signed on PowerDNS, whose NOTIFY would bring the signed zone to BIND: keep BIND on the unsigned copy by
        // making the zone native first (PowerDNS notifies only for primary zones), as a stalled secondary would be.
        api("PUT", "/servers/localhost/zones/" + child, "{\"kind\":\"Native\"}", 204);
        sign(child, "2", "1");
        SimpleResolver primary = server(layout.powerDnsAddress(), layout.powerDnsPort());
        SimpleResolver secondary = server(layout.bindAddress(), layout.bindPort());
        await("PowerDNS serves the CDS").atMost(Duration.ofSeconds(30)).until(() -> !answers(primary, child.toString(), Type.CDS).isEmpty());
        assertThat(answers(secondary, child.toString(), Type.CDS)).as("BIND still serves the unsigned copy").isEmpty();
        int scans = countLines("child=cds-two-servers.ch.");
        await("the scanner looks more times than it needs to bootstrap").atMost(Duration.ofSeconds(60))
                .until(() -> countLines("child=cds-two-servers.ch.") >= scans + observations + 2);
        assertThat(answers(secondary, child.toString(), Type.CDS)).as("BIND still serves the unsigned copy").isEmpty();
        assertThat(answers(parent(), child.toString(), Type.DS)).as("no DS for a child whose servers disagree").isEmpty();
        assertThat(log().lines().filter(l -> l.contains("child=cds-two-servers.ch.")).reduce((a, b) -> b))
                .hasValueSatisfying(l -> assertThat(l).contains("refused: the servers disagree on"));
    }

    @Test
    @Order(6)
    void theManualComRegistryNeverTakesACds() throws Exception {
        Name child = Name.fromString("cds-manual.com.");
        sign(child, "2", "1");
        SimpleResolver childServer = server(layout.powerDnsAddress(), layout.powerDnsPort());
        await("the child publishes its CDS").atMost(Duration.ofSeconds(30)).until(() -> !answers(childServer, child.toString(), Type.CDS).isEmpty());
        int scans = countLines("child=cds-bootstrap.ch.");
        await("the .ch scanner runs more scans than a bootstrap needs").atMost(Duration.ofSeconds(60))
                .until(() -> countLines("child=cds-bootstrap.ch.") >= scans + observations + 2);
        assertThat(answers(parent(), child.toString(), Type.DS)).as(".com takes no DS from a CDS").isEmpty();
        try (var files = Files.list(dir.resolve("registry"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain("cds-manual.com");
            }
        }
        assertThat(ReferenceTools.unbound(layout.unboundAddress(), layout.unboundPort(), "cds-manual.com", Type.DNSKEY).verdict()).isEqualTo("insecure");
    }

    @Test
    @Order(7)
    void aChildWhoseDelegationNamesAServerOfAnotherProviderNeverGetsItsDs() throws Exception {
        // The catalogue's foreign-ns zone: PowerDNS serves it, the delegation also names ns1.other-provider.net.,
        // which does not. Signing it at PowerDNS alone cannot satisfy a registry that asks every server.
        Name child = Name.fromString("zweitanbieter.ch.");
        // The registry's server answers with a referral: the delegation's NS set is in the authority section.
        Message referral = parent().send(Message.newQuery(Record.newRecord(child, Type.NS, DClass.IN)));
        assertThat(referral.getSection(Section.AUTHORITY)).filteredOn(r -> r.getType() == Type.NS).extracting(Record::rdataToString)
                .contains(LabInternet.NS_FOREIGN.toString());
        sign(child, "2", "1");
        int scans = countLines("child=zweitanbieter.ch.");
        await("the scanner looks more times than it needs to bootstrap").atMost(Duration.ofSeconds(60))
                .until(() -> countLines("child=zweitanbieter.ch.") >= scans + observations + 2);
        assertThat(answers(parent(), child.toString(), Type.DS)).isEmpty();
        assertThat(log().lines().filter(l -> l.contains("child=zweitanbieter.ch.")).reduce((a, b) -> b))
                .hasValueSatisfying(l -> assertThat(l).contains("refused: ns1.other-provider.net.@", "REFUSED"));
    }

    @Test
    @Order(8)
    void signalsEqualToTheChildsCdsAtTheOperatorsSignedZoneChainItAfterOneScanInsteadOfFifty() throws Exception {
        Name child = Name.fromString("signale-gueltig.li.");
        assertThat(endpoints.path("registries").path("li").path("observations").asInt()).isEqualTo(50);
        assertThat(endpoints.path("registries").path("li").path("authenticatedBootstrap").asBoolean()).isTrue();
        // The DNS operator vouches first (its signals are in place when the CDS appears), then the child publishes its CDS.
        JsonNode key = api("POST", "/servers/localhost/zones/" + child + "/cryptokeys",
                "{\"keytype\":\"csk\",\"active\":true,\"algorithm\":\"ECDSAP256SHA256\"}", 201);
        DSRecord ds = dsOfKey(child, key);
        signal(child, ds.rdataToString(), key.path("dnskey").asString());
        // Unbound may hold a denial of it for up to its 3 s negative-cache ceiling: earlier scans asked for the absent signals
        // of other children, and the NSEC that denied them covers this name too (RFC 8198).
        await("the signal validates through Unbound").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> ReferenceTools.unbound(layout.unboundAddress(), layout.unboundPort(), signalName(child), Type.CDS).verdict(),
                        "secure"::equals);
        long start = System.nanoTime();
        metadata(child, "PUBLISH-CDS", "2");
        metadata(child, "PUBLISH-CDNSKEY", "1");
        bumpSerial(child);

        List<Record> published = await("the .li registry publishes the DS").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> answers(parent(), child.toString(), Type.DS), found -> !found.isEmpty());
        System.out.printf("signale-gueltig.li: DS at .li %.1f s after its CDS was published (50 observations would take 50 s)%n",
                (System.nanoTime() - start) / 1e9);
        assertThat(published).singleElement().satisfies(r -> assertThat(r.rdataToString().toUpperCase(Locale.ROOT))
                .isEqualTo(ds.rdataToString().toUpperCase(Locale.ROOT)));
        // the scanner logs its decision once the DS is in the registry's zone: a moment after it can be seen
        List<String> lines = await().atMost(Duration.ofSeconds(5)).until(() -> lines(liLog, "child=signale-gueltig.li."),
                found -> indexOf(found, "published DS") >= 0);
        int at = indexOf(lines, "published DS");
        assertThat(lines.get(at)).contains("(authenticated bootstrap, RFC 9615: signals at [" + signalName(child) + ".]");
        // A scan between the two metadata writes may see the CDS without its CDNSKEY; never more than that.
        assertThat(lines.subList(0, at).stream().filter(l -> l.contains("bootstrap candidate")).count()).isLessThanOrEqualTo(1);
        // That Unbound then validates a child whose DS appeared is test 2's to show: how long the lab's Unbound takes to
        // notice a new DS varies (seen above 15 s at times, for .ch children too), and is no business of the signals.
    }

    @Test
    @Order(9)
    void withoutSignalsOrWithASignalForAnotherKeyTheRegistryKeepsCountingAndSaysWhy() throws Exception {
        Name none = Name.fromString("signale-keine.li.");
        Name differ = Name.fromString("signale-falsch.li.");
        // The operator vouches for another key than the one signale-falsch.li serves.
        DSRecord foreign = DnssecKey.generate().ds(differ, 2);
        JsonNode differKey = api("POST", "/servers/localhost/zones/" + differ + "/cryptokeys",
                "{\"keytype\":\"csk\",\"active\":true,\"algorithm\":\"ECDSAP256SHA256\"}", 201);
        signal(differ, foreign.rdataToString(), differKey.path("dnskey").asString());
        metadata(differ, "PUBLISH-CDS", "2");
        metadata(differ, "PUBLISH-CDNSKEY", "1");
        bumpSerial(differ);
        JsonNode noneKey = sign(none, "2", "1");

        await("several scans see both CDS").atMost(Duration.ofSeconds(30)).until(() ->
                lines(liLog, "child=signale-keine.li.").stream().filter(l -> l.contains("bootstrap candidate")).count() >= 4
                        && lines(liLog, "child=signale-falsch.li.").stream().filter(l -> l.contains("bootstrap candidate")).count() >= 4);
        assertThat(answers(parent(), none.toString(), Type.DS)).as("no DS without signals").isEmpty();
        assertThat(answers(parent(), differ.toString(), Type.DS)).as("no DS for a signal that differs").isEmpty();
        assertThat(lastCandidate("child=signale-keine.li."))
                .contains("wait ", "/50: bootstrap candidate DS", "RFC 9615 signals not accepted: CDS at " + signalName(none) + ". is absent");
        assertThat(lastCandidate("child=signale-falsch.li."))
                .contains("/50: bootstrap candidate DS", "RFC 9615 signals not accepted: CDS at " + signalName(differ) + ". is ["
                        + foreign.rdataToString().toUpperCase(Locale.ROOT) + "]");

        // Signals added later are taken at a following scan, once the resolver's cached denial of them has expired.
        long start = System.nanoTime();
        signal(none, dsOfKey(none, noneKey).rdataToString(), noneKey.path("dnskey").asString());
        await("the DS once the operator vouches").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> answers(parent(), none.toString(), Type.DS), found -> !found.isEmpty());
        System.out.printf("signale-keine.li: DS at .li %.1f s after its signals were published%n", (System.nanoTime() - start) / 1e9);
        await("the scanner's decision in its log").atMost(Duration.ofSeconds(5))
                .until(() -> lines(liLog, "child=signale-keine.li.").stream().anyMatch(l -> l.contains("(authenticated bootstrap, RFC 9615")));
        assertThat(answers(parent(), differ.toString(), Type.DS)).as("still no DS for the signal that differs").isEmpty();
    }

    @Test
    @Order(10)
    void theBogusMonitorSawNoServfailWhileTheRegistryWorkedAndCountsTheBogusZone() throws Exception {
        // At least a few rounds with every zone in them, whatever the tests above took.
        await().atMost(Duration.ofSeconds(20)).until(() -> monitor.report().rounds() >= 3);
        BogusMonitor.Report report = monitor.stop();
        assertThat(report.stoppedByLimit()).isFalse();
        assertThat(report.queries()).isGreaterThanOrEqualTo(report.rounds() * 10 * 3);
        assertThat(report.unanswered()).isZero();
        assertThat(ReferenceTools.unbound(layout.unboundAddress(), layout.unboundPort(), "contoso.com", Type.MX).verdict()).isEqualTo("secure");
        assertThat(ReferenceTools.unbound(layout.unboundAddress(), layout.unboundPort(), "northwind.net", Type.MX).verdict()).isEqualTo("insecure");
        assertThat(report.servfailsPerZone()).as("SERVFAIL only for the bogus zone, first ones: %s", report.firstFailurePerZone())
                .containsOnlyKeys("wingtip.com");
        assertThat(report.servfailsPerZone().get("wingtip.com")).as("all three of its queries in every round (SOA, MX, a fresh name)")
                .isEqualTo(report.rounds() * 3);
        assertThat(report.firstFailurePerZone().get("wingtip.com")).satisfies(f -> {
            assertThat(f.extendedError()).as("Unbound's RFC 8914 reason").isNotBlank();
            assertThat(f.at()).isBeforeOrEqualTo(java.time.Instant.now());
        });
        assertThat(report.clean()).isFalse();
        System.out.println("bogus monitor: " + report);
    }

    @Test
    @Order(11)
    void aBogusMonitorStopsByItselfAtItsMaximumDuration() throws Exception {
        BogusMonitor bounded = new BogusMonitor(layout.unboundAddress(), layout.unboundPort(), () -> List.of("contoso.com"), Duration.ofMillis(1500));
        bounded.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> bounded.report().stoppedByLimit());
        long rounds = bounded.report().rounds();
        await("no round after the limit").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> bounded.report().rounds() == rounds);
        assertThat(bounded.stop().clean()).isTrue();
    }

    // --- the child's DNS provider (PowerDNS API), as mxshift's signing stage drives it ---

    /** Adds an active ECDSA P-256 CSK and the CDS/CDNSKEY metadata, then bumps the serial; returns the key as the API shows it. */
    private JsonNode sign(Name zone, String publishCds, String publishCdnskey) throws Exception {
        JsonNode key = api("POST", "/servers/localhost/zones/" + zone + "/cryptokeys",
                "{\"keytype\":\"csk\",\"active\":true,\"algorithm\":\"ECDSAP256SHA256\"}", 201);
        metadata(zone, "PUBLISH-CDS", publishCds);
        if (publishCdnskey != null) {
            metadata(zone, "PUBLISH-CDNSKEY", publishCdnskey);
        }
        bumpSerial(zone);
        return key;
    }

    private void metadata(Name zone, String kind, String value) throws Exception {
        api("PUT", "/servers/localhost/zones/" + zone + "/metadata/" + kind, "{\"metadata\":[\"" + value + "\"]}", 200);
    }

    /** A change through the API bumps the serial (SOA-EDIT-API) and empties PowerDNS's caches for the zone. */
    private void bumpSerial(Name zone) throws Exception {
        api("PATCH", "/servers/localhost/zones/" + zone, "{\"rrsets\":[{\"name\":\"" + zone + "\",\"type\":\"TXT\",\"ttl\":60,\"changetype\":\"REPLACE\","
                + "\"records\":[{\"content\":\"\\\"signing " + System.nanoTime() + "\\\"\",\"disabled\":false}]}]}", 204);
    }

    private static DSRecord dsOfKey(Name zone, JsonNode key) throws IOException {
        DNSKEYRecord dnskey = (DNSKEYRecord) Record.fromString(zone, Type.DNSKEY, DClass.IN, 3600, key.path("dnskey").asString(), Name.root);
        return new DSRecord(zone, DClass.IN, 2, DNSSEC.Digest.SHA256, dnskey);
    }

    private JsonNode api(String method, String path, String body, int expected) throws Exception {
        JsonNode api = endpoints.path("powerdnsApi");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.path("url").asString() + path))
                .header("X-API-Key", api.path("apiKey").asString()).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** What the DNS operator publishes in its own signed zone: the child's CDS and CDNSKEY at its signalling name. */
    private void signal(Name child, String cds, String cdnskey) throws Exception {
        String name = signalName(child) + ".";
        api("PATCH", "/servers/localhost/zones/lab-dns.net.", "{\"rrsets\":["
                + "{\"name\":\"" + name + "\",\"type\":\"CDS\",\"ttl\":60,\"changetype\":\"REPLACE\",\"records\":[{\"content\":\"" + cds + "\",\"disabled\":false}]},"
                + "{\"name\":\"" + name + "\",\"type\":\"CDNSKEY\",\"ttl\":60,\"changetype\":\"REPLACE\",\"records\":[{\"content\":\"" + cdnskey + "\",\"disabled\":false}]}]}", 204);
    }

    private static String signalName(Name child) {
        return "_dsboot." + child.toString(true) + "._signal." + LabInternet.NS_POWERDNS.toString(true);
    }

    private String lastCandidate(String child) throws IOException {
        return lines(liLog, child).stream().filter(l -> l.contains("bootstrap candidate")).reduce((a, b) -> b).orElse("");
    }

    private static List<String> lines(Path log, String needle) throws IOException {
        return Files.exists(log) ? Files.readString(log).lines().filter(l -> l.contains(needle)).toList() : List.of();
    }

    // --- DNS ---

    private SimpleResolver parent() {
        return server(layout.registryAddress(), layout.registryPort());
    }

    private static SimpleResolver server(String address, int port) {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(address, port));
        resolver.setTCP(true);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver;
    }

    private static List<Record> answers(SimpleResolver resolver, String name, int type) throws IOException {
        Message reply = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
        return reply.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    }

    private String log() throws IOException {
        return Files.exists(chLog) ? Files.readString(chLog) : "";
    }

    private int countLines(String needle) throws IOException {
        return (int) log().lines().filter(l -> l.contains(needle)).count();
    }

    private static int indexOf(List<String> lines, String needle) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i;
            }
        }
        return -1;
    }
}
