package dev.mxshift.operator;

import dev.mxshift.lab.LabRun;
import dev.mxshift.operator.api.ApiTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The zone sweep against the real lab, with the catalogue and the sweep's scenarios (scenarios/sweep.yaml): through the
 * lab's PowerDNS API and BIND's AXFR with TSIG, and through BIND's zone files, it finds every reference the scenarios
 * plant and nothing else, in both directions, as each scenario's {@code sweep} list says (tenants.json).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SweepLabIT {

    /**
     * Not a tenant's: the lab's third-party gateway shares the legacy endpoint's address (one Postfix listener plays
     * both), so its A record looks copied from the legacy host. The sweep says "likely" for exactly this reason.
     */
    private static final String GATEWAY = "mx1.gateway-filter.net A HARD_CODED_ADDRESS likely";

    private LabRun lab;

    @BeforeAll
    void up() {
        Path root = LabRun.repositoryRoot();
        lab = LabRun.up(root.resolve("services/operator/target/sweep-lab"), "--spec",
                root.resolve("infra/lab/src/main/resources/scenarios/sweep.yaml").toString());
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void throughPowerDnsAndBindItFindsEveryPlantedReferenceAndNothingElse() throws Exception {
        Run run = sweep("--endpoints", lab.endpointsFile().toString(), "--format", "json");

        assertThat(run.code).as(run.err).isEqualTo(1);
        JsonNode doc = JsonMapper.builder().build().readTree(run.out);
        assertThat(doc.path("notRead")).as("zones not read").isEmpty();
        assertThat(doc.path("notSwept")).isEmpty();
        assertThat(doc.path("hostsNotResolved")).isEmpty();
        assertThat(doc.path("legacyAddresses").findValuesAsString("address")).as("the legacy hosts resolve through Unbound")
                .containsOnly(lab.endpoints().path("smtp").get(2).path("address").asString());
        Set<String> expected = expected(false);
        expected.add(GATEWAY);
        assertThat(found(doc)).isEqualTo(expected);
        assertThat(expected).as("the sweep's scenarios are in the lab").contains("relay.relaytown.com CNAME ALIAS certain",
                "eu.printshop.net DNAME DNAME certain");
    }

    @Test
    void throughBindsZoneFilesItFindsTheSameInBindsZones() throws Exception {
        String resolver = lab.endpoints().path("resolver").path("address").asString() + ":" + lab.endpoints().path("resolver").path("port").asInt();
        Run run = sweep("--zone-files", lab.directory().resolve("bind/zones").toString(), "--resolver", resolver, "--format", "json");

        assertThat(run.code).as(run.err).isEqualTo(1);
        JsonNode doc = JsonMapper.builder().build().readTree(run.out);
        assertThat(doc.path("notRead")).as("zones not read").isEmpty();
        assertThat(found(doc)).isEqualTo(expected(true)).contains("_submission._tcp.printshop.net SRV SRV certain");
    }

    @Test
    void theTextReportNamesTheRecordWhyAndTheFixAndAQuietZoneAloneExitsZero() {
        Run found = sweep("--endpoints", lab.endpointsFile().toString(), "--zone", "relaytown.com", "--inventory", lab.inventoryFile().toString());
        assertThat(found.code).isEqualTo(1);
        assertThat(found.out).contains("relaytown.com (lab-powerdns): 6 findings",
                "  relay.relaytown.com 3600 CNAME relaytown-com.mail.protection.outlook.com.",
                "      fix: alias relay.relaytown.com to the domain's mx.microsoft host relaytown-com.o-v1.mx.microsoft");

        Run quiet = sweep("--endpoints", lab.endpointsFile().toString(), "--zone", "quietharbor.com", "--zone", "stillwater.net");
        assertThat(quiet.code).as(quiet.all()).isZero();
        assertThat(quiet.out).contains("sweep: 2 zones read").contains("0 findings in 0 zones");
        assertThat(found.out).contains("      hard-coded address, likely: mail.relaytown.com holds "
                + lab.endpoints().path("smtp").get(2).path("address").asString() + ", an address of Exchange Online's legacy inbound host"
                + " relaytown-com.mail.protection.outlook.com now");
    }

    /**
     * The findings as discovery facts on a real broker (decision 0028, addendum): the lab's inventory imported, the state
     * projected, {@code sweep --record} appends one LegacyReferencesFound to each domain with references, a repeat with
     * the same findings appends nothing, and {@code status} counts them per tenant, in text and in JSON.
     */
    @Test
    void recordedOnTheEventLogOnceAndStatusCountsThemPerTenant() throws Exception {
        dev.mxshift.model.topic.TopicSpec events = dev.mxshift.testsupport.TestTopics.unique(dev.mxshift.model.topic.TopicCatalogue.defaults().events());
        dev.mxshift.model.topic.TopicSpec state = dev.mxshift.testsupport.TestTopics.unique(dev.mxshift.model.topic.TopicCatalogue.defaults().state());
        String bootstrap = dev.mxshift.testsupport.KafkaTestBroker.bootstrapServers();
        dev.mxshift.testsupport.TestTopics.create(bootstrap, events, state);
        dev.mxshift.service.KafkaClientSettings kafka = dev.mxshift.service.KafkaClientSettings.plaintext(bootstrap);
        try (dev.mxshift.service.StateProjector projector = new dev.mxshift.service.StateProjector(kafka, events.name(), state.name(), "sweep-it",
                new dev.mxshift.model.serde.EventCodec(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).start();
             EventLog log = new EventLog(kafka, events.name(), state.name())) {
            var imported = dev.mxshift.discovery.inventory.ImportCommand.importFiles(List.of(lab.inventoryFile()), bootstrap, events.name(), "sweep-it");
            assertThat(imported.exitCode()).as("%s", imported).isZero();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> log.snapshot().states().size() == imported.imported());
            java.util.Map<String, Integer> expected = expectedPerTenant();
            assertThat(expected).as("the sweep's scenarios are among the lab's tenants").containsEntry("tenant-relaytown", 6);

            OperatorCli first = OperatorCli.run(events.name(), state.name(), "sweep", "--endpoints", lab.endpointsFile().toString(), "--record");
            System.out.println("SweepLabIT: ./mxshift sweep --endpoints ... --record\n" + first.out());

            assertThat(first.code()).as(first.all()).isEqualTo(1);
            assertThat(first.out()).contains("recorded on the event log: " + expected.size() + " domain" + (expected.size() == 1 ? "" : "s")
                    + " with changed findings, ")
                    .contains("at no domain of the event log (reported here only)").doesNotContain("not recorded:");
            assertThat(legacyReferencesFound(log)).as("one LegacyReferencesFound per domain with references").isEqualTo(expected.size());

            OperatorCli again = OperatorCli.run(events.name(), state.name(), "sweep", "--endpoints", lab.endpointsFile().toString(), "--record");
            int unchangedFirst = Integer.parseInt(first.out().replaceAll("(?s).*with changed findings, (\\d+) unchanged.*", "$1"));
            assertThat(again.out()).as(again.all()).contains("recorded on the event log: 0 domains with changed findings, "
                    + (unchangedFirst + expected.size()) + " unchanged");
            assertThat(legacyReferencesFound(log)).as("a repeat with the same findings appends nothing").isEqualTo(expected.size());

            OperatorCli json = OperatorCli.run(events.name(), state.name(), "status", "--json");
            JsonNode byTenant = JsonMapper.builder().build().readTree(json.out()).path("legacyReferencesByTenant");
            java.util.Map<String, Integer> shown = new java.util.TreeMap<>();
            byTenant.properties().forEach(e -> shown.put(e.getKey(), e.getValue().path("references").asInt()));
            assertThat(shown).isEqualTo(expected);
            OperatorCli text = OperatorCli.run(events.name(), state.name(), "status");
            System.out.println("SweepLabIT: ./mxshift status\n" + text.out());
            assertThat(text.out()).contains(LegacyReferenceCounts.HEADING)
                    .containsPattern("\n  tenant-relaytown +6 in 1 domain \\(4 certain, 2 likely\\)\n");
            // the API: a tenant's token sees its tenant's counts only, and its domain's references
            ApiTokens.NewToken relaytown = ApiTokens.generate("relaytown-ops", "tenant-relaytown");
            ApiTokens.NewToken hoster = ApiTokens.generate("noc", "*");
            Path tokens = lab.directory().resolve("sweep-api-tokens");
            java.nio.file.Files.writeString(tokens, relaytown.line() + "\n" + hoster.line() + "\n");
            try (OperatorApi api = new OperatorApi(new java.net.InetSocketAddress("127.0.0.1", 0), log, ApiTokens.read(tokens))) {
                String base = "http://127.0.0.1:" + api.port() + "/api/v1";
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                JsonNode all = JsonMapper.builder().build().readTree(ApiFixture.call(http, base + "/status", "GET", hoster.token(), null, null).body());
                assertThat(all.path("legacyReferencesByTenant").size()).isEqualTo(expected.size());
                JsonNode mine = JsonMapper.builder().build().readTree(ApiFixture.call(http, base + "/status", "GET", relaytown.token(), null, null).body());
                assertThat(mine.path("legacyReferencesByTenant").properties().stream().map(java.util.Map.Entry::getKey).toList())
                        .containsExactly("tenant-relaytown");
                assertThat(mine.path("legacyReferencesByTenant").path("tenant-relaytown").path("references").asInt()).isEqualTo(6);
                JsonNode domain = JsonMapper.builder().build().readTree(ApiFixture.call(http, base + "/domains/relaytown.com", "GET", relaytown.token(),
                        null, null).body());
                assertThat(domain.path("legacyReferences").size()).isEqualTo(6);
                assertThat(ApiFixture.call(http, base + "/domains/printshop.net", "GET", relaytown.token(), null, null).statusCode())
                        .as("another tenant's domain").isEqualTo(404);
            }

            OperatorCli one = OperatorCli.run(events.name(), state.name(), "status", "relaytown.com");
            assertThat(one.out()).contains("  still on the legacy hosts: relay.relaytown.com 3600 CNAME relaytown-com.mail.protection.outlook.com."
                    + " (ALIAS, certain); fix: alias relay.relaytown.com to the domain's mx.microsoft host relaytown-com.o-v1.mx.microsoft");
        }
    }

    /** How many references each tenant's scenario plants (tenants.json), for the tenants that have any. */
    private java.util.Map<String, Integer> expectedPerTenant() {
        java.util.Map<String, Integer> expected = new java.util.TreeMap<>();
        for (JsonNode tenant : lab.tenants()) {
            if (!tenant.path("sweep").isEmpty()) {
                expected.merge(tenant.path("tenant").asString(), tenant.path("sweep").size(), Integer::sum);
            }
        }
        return expected;
    }

    /** LegacyReferencesFound events in the whole event log. */
    private static long legacyReferencesFound(EventLog log) {
        return log.histories(log.snapshot().states().keySet()).values().stream().flatMap(List::stream)
                .filter(e -> e.payload() instanceof dev.mxshift.model.event.LegacyReferencesFound).count();
    }

    /** Every tenant's expectations (tenants.json), as "owner TYPE KIND confidence"; only BIND's with {@code bindOnly}. */
    private Set<String> expected(boolean bindOnly) {
        List<String> bindZones = new ArrayList<>();
        lab.endpoints().path("authoritative").forEach(s -> {
            if (s.path("name").asString().equals("bind")) {
                s.path("zones").forEach(z -> bindZones.add(z.asString()));
            }
        });
        Set<String> expected = new TreeSet<>();
        for (JsonNode tenant : lab.tenants()) {
            String zone = tenant.path("domain").asString();
            if (bindOnly && !bindZones.contains(zone)) {
                continue;
            }
            for (JsonNode line : tenant.path("sweep")) {
                String[] parts = line.asString().trim().split("\\s+");
                String owner = parts[0].equals("@") ? zone : parts[0] + "." + zone;
                String kind = parts[2];
                boolean likely = kind.equals("HARD_CODED_ADDRESS") || kind.equals("SPF_ADDRESS_PIN");
                expected.add(owner + " " + parts[1] + " " + kind + " " + (likely ? "likely" : "certain"));
            }
        }
        return expected;
    }

    private static Set<String> found(JsonNode doc) {
        Set<String> found = new TreeSet<>();
        for (JsonNode zone : doc.path("zones")) {
            for (JsonNode f : zone.path("findings")) {
                found.add(f.path("owner").asString() + " " + f.path("type").asString() + " " + f.path("kind").asString() + " "
                        + f.path("confidence").asString().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return found;
    }

    private record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Run sweep(String... args) {
        List<String> all = new ArrayList<>(List.of("sweep"));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OperatorCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }
}
