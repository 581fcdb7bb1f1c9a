package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.GateHold;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code status}, {@code watch} and the HTTP API on a real broker show why the wave gate holds a ready domain, from the gate-holds
 * topic that goes with the state topic, and only where the hold names the state the domain is in.
 */
class StatusGateHoldsIT {

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = TestTopics.unique(TopicCatalogue.defaults().state());
    private static final TopicSpec HOLDS = TopicCatalogue.defaults().gateHolds().named(TopicCatalogue.gateHoldsOf(STATE.name()));

    private static MigrationState ready(String name) {
        DomainName domain = DomainName.of(name);
        DomainHistory history = new DomainHistory(domain, TenantId.of("tenant-" + name));
        history.add(new MigrationRequested(new ProviderRef("powerdns-lab", domain), Fixtures.targetHostOf(domain), "main", List.of(), "test"));
        while (history.state().status() != WorkflowStatus.READY) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        return history.state();
    }

    private static void produce(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaClients(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()))
                .producer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of(args), java.util.stream.Stream.of(
                "--bootstrap", KafkaTestBroker.bootstrapServers(), "--state-topic", STATE.name())).toArray(String[]::new);
        int code = OperatorCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(all);
        return new String[]{Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void aReadyDomainTheGateHoldsShowsTheGatesReasonAndAStaleHoldIsNotShown() throws Exception {
        TestTopics.create(KafkaTestBroker.bootstrapServers(), EVENTS, STATE, HOLDS);
        EventCodec codec = new EventCodec();
        MigrationState held = ready("held.example");
        MigrationState moved = ready("moved.example");
        MigrationState free = ready("free.example");
        for (MigrationState s : List.of(held, moved, free)) {
            produce(STATE.name(), s.domain().value(), codec.encodeState(s));
        }
        Instant since = Instant.parse("2026-12-04T18:00:00Z");
        produce(HOLDS.name(), "held.example", new GateHold(held.domain(), held.sequence(),
                "2 domains of wave 'main' are changing; the limit is 2", since).encode());
        // a hold of an earlier state: the domain has moved on since, whatever the topic still says
        produce(HOLDS.name(), "moved.example", new GateHold(moved.domain(), moved.sequence() - 1, "an old reason", since).encode());
        // released: a tombstone after the hold
        produce(HOLDS.name(), "free.example", new GateHold(free.domain(), free.sequence(), "a released reason", since).encode());
        produce(HOLDS.name(), "free.example", null);

        String[] json = run("status", "--status", "READY", "--list", "--json");
        assertThat(json[0]).as(json[2]).isEqualTo("0");
        JsonNode status = Json.MAPPER.readTree(json[1]);
        assertThat(status.path("heldByWaveGate").asInt()).isEqualTo(1);
        Map<String, String> details = new java.util.TreeMap<>();
        status.path("domainsListed").forEach(l -> details.put(l.path("domain").asString(), l.path("detail").asString()));
        assertThat(details.get("held.example")).isEqualTo("held by the wave gate since 2026-12-04T18:00:00Z: "
                + "2 domains of wave 'main' are changing; the limit is 2");
        assertThat(details.get("moved.example")).doesNotContain("wave gate");
        assertThat(details.get("free.example")).doesNotContain("wave gate");

        String[] text = run("status");
        assertThat(text[1]).contains("1 of the READY held by the wave gate");
        String[] watch = run("watch", "--timeout", "0");
        assertThat(watch[2]).as("watch's progress line").contains("3 domains: {READY=3}; 1 of the READY held by the wave gate");

        // the HTTP API says the same
        ApiTokens.NewToken noc = ApiTokens.generate("noc", "*");
        ApiTokens.NewToken tenant = ApiTokens.generate("held-portal", "tenant-held.example");
        Path tokens = Files.createTempFile("api-tokens", "");
        Files.writeString(tokens, noc.line() + "\n" + tenant.line() + "\n");
        try (EventLog log = new EventLog(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()), EVENTS.name(), STATE.name());
             OperatorApi api = new OperatorApi(new InetSocketAddress("127.0.0.1", 0), log, ApiTokens.read(tokens))) {
            String base = "http://127.0.0.1:" + api.port() + "/api/v1";
            assertThat(get(base + "/status", noc.token()).path("heldByWaveGate").asInt()).isEqualTo(1);
            Map<String, String> listed = new java.util.TreeMap<>();
            get(base + "/domains?status=READY", noc.token()).forEach(l -> listed.put(l.path("domain").asString(), l.path("detail").asString()));
            assertThat(listed).isEqualTo(details);
            JsonNode one = get(base + "/domains/held.example", noc.token());
            assertThat(one.path("gateHold").path("reason").asString()).isEqualTo("2 domains of wave 'main' are changing; the limit is 2");
            assertThat(one.path("gateHold").path("since").asString()).isEqualTo("2026-12-04T18:00:00Z");
            assertThat(one.path("detail").asString()).startsWith("held by the wave gate since");
            assertThat(get(base + "/domains/moved.example", noc.token()).has("gateHold")).as("a stale hold").isFalse();
            // the gate counts every tenant of a wave: a tenant's token sees that its domain is held and since when, not the hoster's reason
            JsonNode own = get(base + "/domains/held.example", tenant.token());
            assertThat(own.path("gateHold").path("since").asString()).isEqualTo("2026-12-04T18:00:00Z");
            assertThat(own.path("gateHold").path("reason").asString()).doesNotContain("wave 'main'").doesNotContain("2 domains");
            assertThat(get(base + "/domains?status=READY", tenant.token()).toString()).doesNotContain("wave 'main'");
        } finally {
            Files.deleteIfExists(tokens);
        }
    }

    private static JsonNode get(String url, String token) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }
}
