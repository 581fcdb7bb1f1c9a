package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.DiscoveryFailed;
import dev.mxshift.model.event.FailureKind;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.operator.api.ApiSettings;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code status} on a real broker groups the stopped domains by reason (a line with the count and the action, a line with
 * the first domains and the command that lists them all), in text and in JSON; {@code --list} still lists every domain.
 */
class StatusGroupedIT {

    private final TopicSpec events = TestTopics.unique(TopicCatalogue.defaults().events());
    private final TopicSpec state = TestTopics.unique(TopicCatalogue.defaults().state());

    private static MigrationState blocked(String name, Finding finding) {
        return blocked(DomainHistory.of(DomainName.of(name)), finding);
    }

    private static MigrationState blocked(DomainHistory history, Finding... finding) {
        history.add(CooperativeWorld.request(history.state().domain()));
        history.add(CooperativeWorld.successorOf(history.state()));
        history.add(new PreflightBlocked(List.of(finding)));
        return history.state();
    }

    private static void project(TopicSpec state, List<MigrationState> states) throws Exception {
        EventCodec codec = new EventCodec();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaClients(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()))
                .producer(Map.of())) {
            for (MigrationState s : states) {
                producer.send(new ProducerRecord<>(state.name(), s.domain().value().getBytes(StandardCharsets.UTF_8), codec.encodeState(s)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void stoppedDomainsAreGroupedByReasonWithTheirActionAndListGivesEveryOne() throws Exception {
        TestTopics.create(KafkaTestBroker.bootstrapServers(), events, state);
        Finding insecure = new Finding("ZONE_INSECURE", "the zone is not DNSSEC-secure (NO_DS: no DS at the parent)", "sign it");
        Finding unknown = new Finding("TARGET_UNKNOWN", "Microsoft has not assigned the new MX host for this domain",
                "run Enable-DnssecForVerifiedDomain -DomainName d.example");
        List<MigrationState> states = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            states.add(blocked("unsigned-" + i + ".example", insecure));
        }
        for (int i = 0; i < 4; i++) {
            states.add(blocked("new-" + i + ".example", unknown));
        }
        DomainHistory gone = DomainHistory.of(DomainName.of("gone-away.example"));
        gone.add(CooperativeWorld.request(gone.state().domain()));
        gone.add(new DiscoveryFailed(FailureKind.PERMANENT, "gone-away.example does not exist in DNS (NXDOMAIN)"));
        states.add(gone.state());
        states.add(CooperativeWorld.migrated(DomainName.of("done.example")).state());
        project(state, states);

        OperatorCli status = OperatorCli.run(events.name(), state.name(), "status");
        System.out.println("StatusGroupedIT: ./mxshift status\n" + status.out());
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.out()).contains("stopped, by reason (status --list: every domain):")
                .containsPattern("\n  ZONE_INSECURE +BLOCKED +12  sign the zones")
                .contains("\n      unsigned-0.example, unsigned-1.example, unsigned-10.example, ... 9 more: ./mxshift status --status BLOCKED"
                        + " --failed-because ZONE_INSECURE --list")
                .containsPattern("\n  TARGET_UNKNOWN +BLOCKED +4  run Enable-DnssecForVerifiedDomain for them")
                .containsPattern("\n  DISCOVERY_PERMANENT +DISCOVERY_FAILED +1  ")
                .contains("\n      gone-away.example\n")
                .doesNotContain("unsigned-5.example");

        OperatorCli json = OperatorCli.run(events.name(), state.name(), "status", "--json");
        JsonNode groups = Json.MAPPER.readTree(json.out()).path("stoppedByReason");
        assertThat(groups.size()).isEqualTo(3);
        assertThat(groups.get(0).path("reason").asString()).isEqualTo("ZONE_INSECURE");
        assertThat(groups.get(0).path("count").asInt()).isEqualTo(12);

        OperatorCli list = OperatorCli.run(events.name(), state.name(), "status", "--list");
        states.forEach(s -> assertThat(list.out()).contains("\n" + s.domain().value() + " "));
    }

    /**
     * The API's {@code /status} has the same groups as {@code status --json}, with the same reason code for a domain
     * blocked for two reasons, and a tenant's token gets its own domains' groups only.
     */
    @Test
    void theApisStatusGroupsTheStoppedDomainsByReasonLikeStatusJsonAndOnlyTheTokensTenants() throws Exception {
        TopicSpec events = TestTopics.unique(TopicCatalogue.defaults().events());
        TopicSpec state = TestTopics.unique(TopicCatalogue.defaults().state());
        TestTopics.create(KafkaTestBroker.bootstrapServers(), events, state);
        Finding insecure = new Finding("ZONE_INSECURE", "the zone is not DNSSEC-secure (NO_DS: no DS at the parent)", "sign it");
        Finding unknown = new Finding("TARGET_UNKNOWN", "Microsoft has not assigned the new MX host for this domain", "run it");
        TenantId a = TenantId.of("t-a");
        TenantId b = TenantId.of("t-b");
        List<MigrationState> states = List.of(
                blocked(new DomainHistory(DomainName.of("both-a.example"), a), unknown, insecure),
                blocked(new DomainHistory(DomainName.of("insecure-1-a.example"), a), insecure),
                blocked(new DomainHistory(DomainName.of("insecure-2-a.example"), a), insecure),
                blocked(new DomainHistory(DomainName.of("insecure-1-b.example"), b), insecure),
                blocked(new DomainHistory(DomainName.of("unknown-b.example"), b), unknown));
        project(state, states);
        ApiTokens.NewToken tenantA = ApiTokens.generate("t-a-ops", "t-a");
        ApiTokens.NewToken hoster = ApiTokens.generate("noc", "*");
        Path tokens = Files.createTempDirectory("status-grouped-it").resolve("api-tokens");
        Files.writeString(tokens, tenantA.line() + "\n" + hoster.line() + "\n");
        try (EventLog log = new EventLog(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()), events.name(), state.name());
             OperatorApi api = new OperatorApi(ApiSettings.plain(new InetSocketAddress("127.0.0.1", 0)), log, ApiTokens.read(tokens), line -> { })) {
            String base = "http://127.0.0.1:" + api.port() + "/api/v1/status";

            HttpResponse<String> mine = ApiFixture.call(HttpClient.newHttpClient(), base, "GET", tenantA.token(), null, null);
            assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
            JsonNode groups = Json.MAPPER.readTree(mine.body()).path("stoppedByReason");
            assertThat(groups.size()).isEqualTo(2);
            assertThat(groups.get(0).path("reason").asString()).isEqualTo("ZONE_INSECURE");
            assertThat(groups.get(0).path("count").asInt()).as("t-a's two, not t-b's").isEqualTo(2);
            assertThat(groups.get(0).path("status").asString()).isEqualTo("BLOCKED");
            assertThat(groups.get(0).path("action").asString()).startsWith("sign the zones")
                    .endsWith("./mxshift replay --status BLOCKED --failed-because ZONE_INSECURE");
            assertThat(groups.get(1).path("reason").asString()).as("one group for the doubly-blocked domain").isEqualTo("TARGET_UNKNOWN+ZONE_INSECURE");
            assertThat(mine.body()).doesNotContain("-b.example");

            HttpResponse<String> all = ApiFixture.call(HttpClient.newHttpClient(), base, "GET", hoster.token(), null, null);
            JsonNode every = Json.MAPPER.readTree(all.body()).path("stoppedByReason");
            OperatorCli json = OperatorCli.run(events.name(), state.name(), "status", "--json");
            assertThat(every).as("the API's groups are status --json's").isEqualTo(Json.MAPPER.readTree(json.out()).path("stoppedByReason"));
            assertThat(every.size()).isEqualTo(3);
            assertThat(every.get(0).path("count").asInt()).isEqualTo(3);
        }
    }
}
