package dev.mxshift.discovery;

import dev.mxshift.discovery.dns.DnsClient;
import dev.mxshift.discovery.dns.ResolverSettings;
import dev.mxshift.discovery.mtasts.MtaStsPolicyFetcher;
import dev.mxshift.lab.LabRun;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MtaStsPolicy;
import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.DiscoveryFailed;
import dev.mxshift.model.event.FailureKind;
import dev.mxshift.model.event.MxClassification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Discovery against the real lab: every catalogue scenario gets the classification the catalogue says, through the
 * lab's resolver and straight from its authoritative servers; the facts carry what the lab publishes; a resolver
 * that does not answer makes a retryable failure, never a lost domain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscoveryLabIT {

    private LabRun lab;
    private DiscoveryEndpoints endpoints;
    private final Map<String, DiscoveryReport> viaResolver = new ConcurrentHashMap<>();
    private final Map<String, DiscoveryReport> viaAuthoritative = new ConcurrentHashMap<>();

    @BeforeAll
    void discoverTheCatalogue() {
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/discovery-service/target/lab"),
                "--spec", LabRun.repositoryRoot().resolve("services/discovery-service/src/test/resources/discovery-scenarios.yaml").toString());
        endpoints = DiscoveryEndpoints.read(lab.endpointsFile());
        discover(ResolverSettings.recursive(List.of(endpoints.resolver())).withAuthoritativePorts(endpoints.authoritativePorts()), viaResolver);
        discover(ResolverSettings.authoritative(endpoints.authoritative()), viaAuthoritative);
    }

    @AfterAll
    void down() {
        lab.close();
    }

    private void discover(ResolverSettings settings, Map<String, DiscoveryReport> into) {
        try (DnsClient dns = new DnsClient(settings);
             MtaStsPolicyFetcher fetcher = new MtaStsPolicyFetcher(MtaStsPolicyFetcher.trusting(endpoints.caFile()),
                     endpoints.mtaStsPort(), Duration.ofSeconds(5), 4)) {
            DiscoverCommand.Summary summary = DiscoverCommand.discover(List.of(lab.inventoryFile()), dns, fetcher, 64, 0,
                    (row, report) -> into.put(row.domain().value(), report));
            assertThat(summary.rejectedRows()).isZero();
            assertThat(summary.domains()).isEqualTo(lab.tenants().size());
        }
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioGetsTheCataloguesClassification() {
        return lab.tenants().stream().flatMap(t -> Stream.of("resolver", "authoritative").map(via -> DynamicTest.dynamicTest(
                t.path("scenario").asString() + " via " + via, () -> {
                    DiscoveryReport report = (via.equals("resolver") ? viaResolver : viaAuthoritative).get(t.path("domain").asString());
                    assertThat(report).as("a report for %s", t.path("domain").asString()).isNotNull();
                    assertThat(report.classification()).as(report.reason())
                            .isEqualTo(MxClassification.valueOf(t.path("expect").path("classification").asString()));
                    assertThat(report.reason()).isNotBlank();
                })));
    }

    @Test
    void anEligibleDomainsSnapshotHoldsItsMxTtlDnssecMaterialAndWhoAnswered() {
        Discovered contoso = (Discovered) viaResolver.get("contoso.com").event();
        assertThat(contoso.snapshot().mx().hosts()).containsExactly(DomainName.of("contoso-com.mail.protection.outlook.com"));
        assertThat(contoso.snapshot().mx().ttl()).isPositive();
        assertThat(contoso.snapshot().dnskeyAtApex()).isTrue();
        assertThat(contoso.snapshot().dsAtParent()).isTrue();
        InetSocketAddress resolver = endpoints.resolver();
        // The resolver answered everything; the MX also came from the zone's own server (PowerDNS, the default one).
        assertThat(contoso.snapshot().answeredBy()).containsExactlyInAnyOrder(
                resolver.getAddress().getHostAddress() + ":" + resolver.getPort(), powerDns().label());
        assertThat(types(contoso.snapshot().records(), "contoso.com")).contains("SOA", "MX", "NS", "DNSKEY", "DS");
        assertThat(types(contoso.snapshot().records(), "contoso-com.mail.protection.outlook.com")).contains("A");

        Discovered unsigned = (Discovered) viaResolver.get("northwind.net").event();
        assertThat(unsigned.snapshot().dnskeyAtApex()).isFalse();
        assertThat(unsigned.snapshot().dsAtParent()).isFalse();
        Discovered noDs = (Discovered) viaResolver.get("tailspin.org").event();
        assertThat(noDs.snapshot().dnskeyAtApex()).isTrue();
        assertThat(noDs.snapshot().dsAtParent()).isFalse();
        // Broken DNSSEC does not hide the records from discovery (CD); validation judges it.
        Discovered bogus = (Discovered) viaResolver.get("expired-signatures.com").event();
        assertThat(bogus.snapshot().mx().hasLegacyHost()).isTrue();
    }

    @Test
    void anUnsignedZonesMxTtlIsTheZonesNotTheResolversCountedDownCopy() throws Exception {
        // northwind.net is unsigned: no RRSIG carries the set's original TTL, only its own server knows it.
        Name apex = Name.fromConstantString("northwind.net.");
        long zoneTtl = mxTtl(powerDns().address(), apex, false);
        // Have the resolver cache the set and count it down, as a busy production resolver's cache always has.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> mxTtl(endpoints.resolver(), apex, true) < zoneTtl);
        ResolverSettings viaResolver = ResolverSettings.recursive(List.of(endpoints.resolver()))
                .withAuthoritativePorts(endpoints.authoritativePorts());
        DiscoveryReport report;
        try (DnsClient dns = new DnsClient(viaResolver);
             MtaStsPolicyFetcher fetcher = new MtaStsPolicyFetcher(MtaStsPolicyFetcher.trusting(endpoints.caFile()),
                     endpoints.mtaStsPort(), Duration.ofSeconds(5), 1)) {
            report = new DomainDiscoverer(dns, fetcher).discover(DomainName.of("northwind.net")).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        }
        Discovered northwind = (Discovered) report.event();
        assertThat(northwind.snapshot().mx().ttl()).as(report.reason()).isEqualTo(zoneTtl);
        assertThat(northwind.snapshot().answeredBy()).contains(powerDns().label());
        assertThat(report.reason()).doesNotContain("count-down");
    }

    /** The MX set's TTL as one server answers it: an authoritative server without recursion, or the resolver. */
    private static long mxTtl(InetSocketAddress server, Name apex, boolean recursive) throws Exception {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTimeout(Duration.ofSeconds(2));
        Message query = Message.newQuery(org.xbill.DNS.Record.newRecord(apex, Type.MX, DClass.IN));
        if (!recursive) {
            query.getHeader().unsetFlag(Flags.RD);
        }
        Message reply = resolver.send(query);
        if (!recursive) {
            assertThat(reply.getHeader().getFlag(Flags.AA)).as("%s answers for %s with authority", server, apex).isTrue();
        }
        return reply.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.MX)
                .mapToLong(org.xbill.DNS.Record::getTTL).min().orElseThrow();
    }

    private ResolverSettings.AuthoritativeServer powerDns() {
        return endpoints.authoritative().stream().filter(s -> s.zones().isEmpty()).findFirst().orElseThrow();
    }

    @Test
    void anAlreadyMigratedDomainShowsItsTargetsTlsa() {
        Discovered litware = (Discovered) viaResolver.get("litware.com").event();
        assertThat(types(litware.snapshot().records(), "_25._tcp.litware-com.r-v1.mx.microsoft")).containsExactly("TLSA");
    }

    @Test
    void theMtaStsPolicyIsFetchedOverHttpsAndParsed() {
        Discovered coho = (Discovered) viaResolver.get("cohowinery.com").event();
        MtaStsPolicy policy = coho.snapshot().mtaSts().policy();
        assertThat(policy).as(coho.snapshot().reason()).isNotNull();
        assertThat(policy.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(policy.mx()).contains("cohowinery-com.mail.protection.outlook.com");
        assertThat(coho.snapshot().mtaSts().id()).isNotBlank();
        Discovered wildcard = (Discovered) viaAuthoritative.get("woodgrovebank.com").event();
        assertThat(wildcard.snapshot().mtaSts().policy().mx()).contains("*.mx.microsoft");
        assertThat(viaResolver.get("contoso.com").snapshot().mtaSts()).isNull();
    }

    @Test
    void legacyHostsWithLabelsIdnaRefusesAreStillLegacy() {
        for (Map<String, DiscoveryReport> via : List.of(viaResolver, viaAuthoritative)) {
            assertThat(via.get("doppelstrich.com").snapshot().mx().records().get(0).exchange().value())
                    .isEqualTo("ab--doppelstrich-com.mail.protection.outlook.com");
            assertThat(via.get("doppelstrich.com").classification()).isEqualTo(MxClassification.LEGACY_EXCHANGE_ONLINE);
            assertThat(via.get("randstrich.com").snapshot().mx().records().get(0).exchange().value())
                    .isEqualTo("randstrich-com-.mail.eo.outlook.com");
            assertThat(via.get("randstrich.com").classification()).isEqualTo(MxClassification.LEGACY_EXCHANGE_ONLINE);
        }
    }

    @Test
    void nxdomainIsAPermanentFailureAndTheLameDelegationIsNamed() {
        DiscoveryReport gone = viaResolver.get("gone-away.com");
        assertThat(gone.event()).isInstanceOf(DiscoveryFailed.class);
        assertThat(((DiscoveryFailed) gone.event()).kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(viaResolver.get("lamedelegation.com").reason()).contains("SERVFAIL").contains("lame");
        assertThat(viaAuthoritative.get("lamedelegation.com").reason()).contains("without authority");
        // Both ways the delegation's server is named with its address and what it did (BIND holds no such zone and
        // refuses it), as a delegation problem, never as broken DNSSEC.
        for (Map<String, DiscoveryReport> via : List.of(viaResolver, viaAuthoritative)) {
            DiscoveryReport lame = via.get("lamedelegation.com");
            System.out.println("lamedelegation.com: " + lame.reason()); // the operator-visible text, quoted in decision 0010
            assertThat(lame.classification()).isEqualTo(MxClassification.LAME_DELEGATION);
            assertThat(lame.reason()).as(lame.reason())
                    .containsPattern("^lame delegation: lame\\.lab-dns\\.net \\(127\\.0\\.\\d+\\.\\d+\\) answered REFUSED for lamedelegation\\.com;")
                    .contains("fix the NS records at the registrar").doesNotContainIgnoringCase("bogus");
        }
    }

    @Test
    void aResolverThatDoesNotAnswerGivesRetryableFailuresAndLosesNoDomain() {
        // Nothing listens on this loopback port: every query times out (or is refused) on every attempt.
        ResolverSettings silent = ResolverSettings.recursive(List.of(new InetSocketAddress("127.0.10.99", 5399)))
                .withLimits(Duration.ofMillis(200), 2, 32);
        Map<String, DiscoveryReport> reports = new ConcurrentHashMap<>();
        try (DnsClient dns = new DnsClient(silent);
             MtaStsPolicyFetcher fetcher = new MtaStsPolicyFetcher(MtaStsPolicyFetcher.trusting(null), 443, Duration.ofSeconds(1), 1)) {
            DiscoverCommand.Summary summary = DiscoverCommand.discover(List.of(lab.inventoryFile()), dns, fetcher, 8, 0,
                    (row, report) -> reports.put(row.domain().value(), report));
            assertThat(summary.domains()).isEqualTo(lab.tenants().size());
            assertThat(summary.lost()).isPositive();
            assertThat(summary.retried()).isPositive();
        }
        assertThat(reports).hasSize(lab.tenants().size());
        assertThat(reports.values()).allSatisfy(report -> {
            assertThat(report.failure()).isEqualTo(FailureKind.RETRYABLE);
            assertThat(report.reason()).contains("no answer").contains("2 attempts");
        });
    }

    @Test
    void theCommandPrintsOneJsonObjectPerDomainAndExitsOneWhenADomainFailed() throws Exception {
        Path out = lab.directory().resolve("discovered.jsonl");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = DiscoverCommand.run(lab.inventoryFile().toString(), "--endpoints", lab.endpointsFile().toString(),
                    "--out", out.toString());
        } finally {
            System.setErr(err);
        }
        assertThat(exit).as("gone-away.com is NXDOMAIN: exit 1").isEqualTo(1);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(lab.tenants().size());
        JsonNode first = tools.jackson.databind.json.JsonMapper.builder().build().readTree(
                lines.stream().filter(l -> l.contains("\"domain\":\"contoso.com\"")).findFirst().orElseThrow());
        assertThat(first.path("classification").asString()).isEqualTo("LEGACY_EXCHANGE_ONLINE");
        assertThat(first.path("facts").path("mx").path("records").get(0).path("exchange").asString())
                .isEqualTo("contoso-com.mail.protection.outlook.com");
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("domains/s").contains("lost");
        assertThat(DiscoverCommand.run(lab.inventoryFile().toString(), "--resolver", "not-an-address")).isEqualTo(2);
    }

    private static List<String> types(List<RecordSet> records, String owner) {
        return records.stream().filter(r -> r.owner().equals(owner)).map(RecordSet::type).toList();
    }

}
