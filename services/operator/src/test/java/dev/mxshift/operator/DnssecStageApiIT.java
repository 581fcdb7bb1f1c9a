package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.UnsignedZonePolicy;
import dev.mxshift.model.event.VerificationRetryScheduled;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.workflow.DnssecPhase;
import dev.mxshift.model.workflow.DnssecProgress;
import dev.mxshift.operator.api.ApiSettings;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.service.EventWriter;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DNSSEC stage through the real event log: a domain whose DS waits at its parent is shown so by the API's domain
 * resource (with since when, from its history), listed and counted by phase, and listed by {@code status --dnssec}.
 */
class DnssecStageApiIT {

    private static final ApiTokens.NewToken OWN = ApiTokens.generate("t-a-portal", "t-a");
    private static final ApiTokens.NewToken HOSTER = ApiTokens.generate("noc", "*");
    private static final DomainName WAITING = DomainName.of("alpenhof-a.example");

    private static ApiFixture fixture;
    private static String base;
    private static String enteredAt;

    @BeforeAll
    static void aDomainWhoseDsWaitsAtItsParent() throws Exception {
        fixture = new ApiFixture(OWN.line(), HOSTER.line());
        DomainHistory history = new DomainHistory(WAITING, TenantId.of("t-a"));
        history.add(new MigrationRequested(ProviderRef.of("powerdns-lab", WAITING.value()), Fixtures.targetHostOf(WAITING), "wave-1",
                List.of(), "inventory", false, UnsignedZonePolicy.SIGN));
        for (int i = 0; i < 200 && DnssecProgress.of(history.state()).phase() != DnssecPhase.AWAITING_DS; i++) {
            MigrationEvent next = CooperativeWorld.successorOf(history.state());
            history.add(next);
        }
        enteredAt = history.last().occurredAt().toString();
        history.add(CooperativeWorld.successorOf(history.state()));
        history.add(new VerificationRetryScheduled(Direction.FORWARD, history.state().stepIndex(), 1,
                history.last().occurredAt().plusSeconds(60), "example serves no DS yet", List.of()));

        KafkaClientSettings kafka = KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers());
        KafkaClients clients = new KafkaClients(kafka);
        try (EventWriter writer = new EventWriter(clients, fixture.events.name())) {
            writer.appendAll(history.events());
        }
        try (KafkaProducer<byte[], byte[]> producer = clients.producer(Map.of())) {
            producer.send(new ProducerRecord<>(fixture.state.name(), WAITING.value().getBytes(StandardCharsets.UTF_8),
                    new EventCodec().encodeState(history.state()))).get(30, TimeUnit.SECONDS);
        }
        OperatorApi api = fixture.serve(ApiSettings.plain(new InetSocketAddress("127.0.0.1", 0)));
        base = "http://127.0.0.1:" + api.port() + "/api/v1";
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static JsonNode get(String path, ApiTokens.NewToken token) throws Exception {
        HttpResponse<String> answer = ApiFixture.call(HttpClient.newHttpClient(), base + path, "GET", token.token(), null, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    @Test
    void theDomainResourceSaysTheDsWaitsAtItsParentByCdsSinceTheEventThatSentIt() throws Exception {
        JsonNode domain = get("/domains/" + WAITING.value(), OWN);
        JsonNode dnssec = domain.path("dnssec");
        assertThat(dnssec.path("phase").asString()).isEqualTo("awaiting-ds");
        assertThat(dnssec.path("parent").asString()).isEqualTo("example");
        assertThat(dnssec.path("path").asString()).isEqualTo("cds");
        assertThat(dnssec.path("since").asString()).isEqualTo(enteredAt);
        assertThat(dnssec.path("detail").asString()).contains("waiting until every server of example serves it");
        // a domain without a stage says none
        assertThat(get("/domains/" + ApiFixture.OWN.value(), OWN).path("dnssec").path("phase").asString()).isEqualTo("none");
    }

    @Test
    void theListAskedByPhaseHasOnlyThoseWaitingWithSinceAndTheCountsHaveThePhase() throws Exception {
        JsonNode waiting = get("/domains?dnssec=awaiting-ds", OWN);
        assertThat(waiting).hasSize(1);
        assertThat(waiting.get(0).path("domain").asString()).isEqualTo(WAITING.value());
        assertThat(waiting.get(0).path("dnssec").path("since").asString()).isEqualTo(enteredAt);
        assertThat(get("/domains?dnssec=chained,signing", HOSTER)).isEmpty();
        // every line carries the field; without the phase filter only the state is read: no since
        JsonNode all = get("/domains?tenant=t-a", OWN);
        assertThat(all).hasSize(3).allSatisfy(line -> assertThat(line.path("dnssec").path("phase").asString()).isNotEmpty());
        assertThat(get("/status", HOSTER).path("byDnssec")).hasSize(1);
        assertThat(get("/status", HOSTER).path("byDnssec").path("awaiting-ds").asInt()).isEqualTo(1);
        HttpResponse<String> wrong = ApiFixture.call(HttpClient.newHttpClient(), base + "/domains?dnssec=later", "GET", OWN.token(), null, null);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("awaiting-ds");
    }

    @Test
    void statusListsWhoWaitsForADsAtTheParentAndSinceWhenAndTheOneDomainViewsSayIt() throws Exception {
        String[] topics = {"--bootstrap", KafkaTestBroker.bootstrapServers(), "--events-topic", fixture.events.name(),
                "--state-topic", fixture.state.name()};
        StringWriter out = new StringWriter();
        int exit = OperatorCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(new StringWriter(), true))
                .execute(concat(new String[]{"status", "--dnssec", "awaiting-ds", "--list"}, topics));
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("DNSSEC stage: awaiting-ds 1").contains("DNSSEC")
                .containsPattern(WAITING.value() + " .* awaiting-ds example/cds since " + enteredAt);

        StringWriter one = new StringWriter();
        assertThat(OperatorCommand.commandLine().setOut(new PrintWriter(one, true)).setErr(new PrintWriter(new StringWriter(), true))
                .execute(concat(new String[]{"status", WAITING.value()}, topics))).isZero();
        assertThat(one.toString()).contains("DNSSEC: awaiting-ds at example by cds since " + enteredAt + ": ");

        StringWriter history = new StringWriter();
        assertThat(OperatorCommand.commandLine().setOut(new PrintWriter(history, true)).setErr(new PrintWriter(new StringWriter(), true))
                .execute(concat(new String[]{"history", WAITING.value()}, topics))).isZero();
        assertThat(history.toString()).contains("DNSSEC: awaiting-ds at example by cds since " + enteredAt + ": ");

        StringWriter json = new StringWriter();
        OperatorCommand.commandLine().setOut(new PrintWriter(json, true)).setErr(new PrintWriter(new StringWriter(), true))
                .execute(concat(new String[]{"status", "--dnssec", "awaiting-ds", "--list", "--json"}, topics));
        JsonNode status = Json.MAPPER.readTree(json.toString());
        assertThat(status.path("byDnssec").path("awaiting-ds").asInt()).isEqualTo(1);
        assertThat(status.path("domainsListed").get(0).path("dnssec").path("since").asString()).isEqualTo(enteredAt);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
