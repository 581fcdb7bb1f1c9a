package dev.mxshift.validation;

import dev.mxshift.lab.LabRun;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.DiscoverySnapshot;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.event.PlanGenerated;
import dev.mxshift.model.event.PreflightPassed;
import dev.mxshift.model.event.StepApplied;
import dev.mxshift.model.event.StepVerified;
import dev.mxshift.model.event.VerificationRetryScheduled;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.StepPhase;
import dev.mxshift.service.EventLogConsumer;
import dev.mxshift.service.EventLogTestClient;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.TopicToEnd;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pushed step not seen yet from outside is checked again at a durable timer, not failed and not waited for on the
 * consumer: against the lab, a step whose change has not reached the authoritative servers gets re-checks; the
 * service stops while one is pending, the change is then made, and after the restart the pending re-check (recovered
 * from the state topic) sees it: one StepVerified, the history gap-free.
 */
class ReverificationIT {

    private static final DomainName DOMAIN = DomainName.of("contoso.com");
    private static LabRun lab;

    @BeforeAll
    static void up() {
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/validation-service/target/lab-recheck"));
    }

    @AfterAll
    static void down() {
        lab.close();
    }

    @Test
    void aStepNotSeenYetIsCheckedAgainAfterARestartAndThenVerifiedOnce() throws Exception {
        TopicSpec events = TestTopics.unique(TopicCatalogue.defaults().events());
        TopicSpec state = TestTopics.unique(TopicCatalogue.defaults().state());
        TestTopics.createWithDeadLetters(KafkaTestBroker.bootstrapServers(), events, state);
        JsonNode tenant = lab.tenants().stream().filter(t -> t.path("domain").asString().equals(DOMAIN.value())).findFirst().orElseThrow();
        MxRecordSet discovered = MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, DomainName.of(tenant.path("legacyHost").asString())));
        DomainName target = DomainName.of(tenant.path("targetHost").asString());

        // The push service said it lowered the TTL; the lab still serves 3600: not seen yet.
        DomainHistory history = new DomainHistory(DOMAIN, TenantId.of(tenant.path("tenant").asString()));
        history.add(new MigrationRequested(ProviderRef.of("lab-powerdns", DOMAIN.value()), target, "it", List.of(), "test"));
        history.add(new Discovered(new DiscoverySnapshot(MxClassification.LEGACY_EXCHANGE_ONLINE, "lab", discovered,
                List.of(discovered.toRecordSet()), List.of("lab"), true, true, null)));
        history.add(new PreflightPassed(List.of()));
        history.add(PlanGenerated.of(Fixtures.microsoftPlan(discovered, target)));
        history.add(new StepApplied(Direction.FORWARD, 0, false, "test: not written yet"));
        EventLogTestClient.produce(events.name(), List.of(history.last()));

        try (ConfigurableApplicationContext first = start(events, state)) {
            await(() -> count(events, VerificationRetryScheduled.class) >= 2, Duration.ofSeconds(60), "two re-checks scheduled");
            assertThat(first.getBean(ValidationHandler.class).pendingRechecks()).containsExactly(DOMAIN.value());
        }
        long before = count(events, VerificationRetryScheduled.class);
        assertThat(count(events, StepVerified.class)).isZero();
        EventEnvelope lastRecheck = history(events).get(history(events).size() - 1);
        assertThat(lastRecheck.payload()).isInstanceOf(VerificationRetryScheduled.class);
        assertThat(lastRecheck.state().phase()).isEqualTo(StepPhase.VERIFY_WAITING);
        assertThat(((VerificationRetryScheduled) lastRecheck.payload()).reason()).contains("3600");

        lowerTtl(300);
        Instant restarted = Instant.now();
        try (ConfigurableApplicationContext second = start(events, state)) {
            await(() -> count(events, StepVerified.class) == 1, Duration.ofSeconds(60), "the step verified after the restart");
            // Instead of a pause before "verified once": the service has read its own StepVerified back (the domain's
            // latest known state is past the re-check) and has no re-check set; nothing is left that could verify again.
            MeterRegistry meters = second.getBean(MeterRegistry.class);
            ValidationHandler handler = second.getBean(ValidationHandler.class);
            await(() -> meters.find(EventLogConsumer.CONSUMED).tag("type", "StepVerified").counters().stream().mapToDouble(c -> c.count()).sum() >= 1
                    && handler.pendingRechecks().isEmpty(), Duration.ofSeconds(30), "the service read its StepVerified back, no re-check set");
        }
        List<EventEnvelope> all = history(events);
        assertThat(count(events, StepVerified.class)).as("verified once").isEqualTo(1);
        EventEnvelope verified = all.stream().filter(e -> e.payload() instanceof StepVerified).findFirst().orElseThrow();
        assertThat(verified.occurredAt()).isAfter(restarted);
        assertThat(verified.state().stepIndex()).isEqualTo(1);
        assertThat(verified.state().verifyAttempts()).isZero();
        assertThat(count(events, VerificationRetryScheduled.class)).as("the pending re-check fired, no new chain").isLessThanOrEqualTo(before + 1);
        long expected = history.last().sequence();
        for (EventEnvelope e : all) {
            assertThat(e.sequence()).as("gap-free: " + e.type()).isEqualTo(expected++);
        }
    }

    private static ConfigurableApplicationContext start(TopicSpec events, TopicSpec state) {
        JsonNode endpoints = lab.endpoints();
        List<String> ports = new ArrayList<>();
        endpoints.path("authoritative").forEach(s -> ports.add(s.path("address").asString() + "=" + s.path("port").asInt()));
        return new SpringApplicationBuilder(ValidationServiceApplication.class).run(
                "--spring.main.web-application-type=none",
                "--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--spring.cloud.stream.bindings.events-in-0.destination=" + events.name(),
                "--spring.cloud.stream.bindings.events-out-0.destination=" + events.name(),
                "--mxshift.events.state-topic=" + state.name(),
                "--spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name=" + events.name() + ".dlt",
                "--mxshift.validation.resolver=" + endpoints.path("resolver").path("address").asString() + ":" + endpoints.path("resolver").path("port").asInt(),
                "--mxshift.validation.trust-anchor-file=" + endpoints.path("trustAnchorFile").asString(),
                "--mxshift.validation.authoritative-ports=" + String.join(",", ports),
                "--mxshift.validation.verify-attempts=100",
                "--mxshift.validation.verify-interval=2s");
    }

    /** As the push service would have: the step's target, through PowerDNS's API. */
    private static void lowerTtl(long ttl) throws Exception {
        JsonNode tenant = lab.tenants().stream().filter(t -> t.path("domain").asString().equals(DOMAIN.value())).findFirst().orElseThrow();
        JsonNode api = lab.endpoints().path("powerdnsApi");
        String body = "{\"rrsets\":[{\"name\":\"" + DOMAIN.value() + ".\",\"type\":\"MX\",\"ttl\":" + ttl + ",\"changetype\":\"REPLACE\","
                + "\"records\":[{\"content\":\"0 " + tenant.path("legacyHost").asString() + ".\",\"disabled\":false}]}]}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api.path("url").asString() + "/servers/localhost/zones/" + DOMAIN.value() + "."))
                .header("X-API-Key", api.path("apiKey").asString()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    private static List<EventEnvelope> history(TopicSpec events) {
        List<EventEnvelope> all = new ArrayList<>();
        dev.mxshift.model.serde.EventCodec codec = new dev.mxshift.model.serde.EventCodec();
        TopicToEnd.read(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()), events.name(), p -> true, Duration.ofSeconds(30),
                r -> all.add(codec.decode(r.value())));
        all.sort(java.util.Comparator.comparingLong(EventEnvelope::sequence));
        return all;
    }

    private static long count(TopicSpec events, Class<?> type) {
        return history(events).stream().filter(e -> type.isInstance(e.payload())).count();
    }

    private static void await(BooleanSupplier condition, Duration patience, String what) {
        Awaitility.await(what).atMost(patience).pollInterval(Duration.ofMillis(300)).until(condition::getAsBoolean);
    }
}
