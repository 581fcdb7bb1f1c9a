package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.ApplyFailureKind;
import dev.mxshift.model.event.Cancelled;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.PlanGenerated;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.GateHold;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.service.EventLogTestClient;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.TopicToEnd;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The wave gate in the running service, over a real broker: with a canary wave and one domain per wave changing at a
 * time, the main wave's domains get no plan while the canary runs or failed, and then one at a time, each as the
 * one before it moves out of the way; nothing held is dropped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "mxshift.record-generation.wave-gate.max-in-flight-per-wave=1",
        "mxshift.record-generation.wave-gate.canary-waves=canary",
        "mxshift.record-generation.wave-gate.recheck-interval=300ms",
        "mxshift.record-generation.wave-gate.holds-interval=300ms"})
class WaveGateServiceIT {

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = TestTopics.unique(TopicCatalogue.defaults().state());
    private static final EventCodec CODEC = new EventCodec();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        RecordGenerationServiceIT.bindToTestTopics(registry, EVENTS, STATE);
    }

    @Test
    void theMainWaveWaitsForTheCanaryAndThenMovesOneDomainAtATime() throws Exception {
        DomainHistory canary = ready("canary.example", "canary");
        DomainHistory main1 = ready("main-1.example", "main");
        DomainHistory main2 = ready("main-2.example", "main");
        EventLogTestClient.produce(EVENTS.name(), canary.events());
        EventLogTestClient.produce(EVENTS.name(), main1.events());
        EventLogTestClient.produce(EVENTS.name(), main2.events());

        EventEnvelope canaryPlan = EventLogTestClient.latestPerDomain(EVENTS.name(), 1, e -> e.payload() instanceof PlanGenerated,
                Duration.ofSeconds(60)).get("canary.example");
        assertThat(canaryPlan).isNotNull();
        // No pause: the gate has decided about both main-wave domains once it published a hold for each.
        awaitHolds(h -> h.keySet().equals(java.util.Set.of("main-1.example", "main-2.example")));
        assertThat(plans().keySet()).as("the main wave waits while the canary runs").containsExactly("canary.example");
        // operators see why, on the gate-holds topic that goes with the state topic
        Map<String, GateHold> holds = holds();
        assertThat(holds.keySet()).containsExactlyInAnyOrder("main-1.example", "main-2.example");
        assertThat(holds.get("main-1.example").reason()).contains("canary wave 'canary' is still running");
        assertThat(holds.get("main-1.example").appliesTo(main1.state())).isTrue();

        EventEnvelope failed = next(canaryPlan, new StepApplyFailed(Direction.FORWARD, 0, ApplyFailureKind.PERMANENT, "refused", null));
        EventLogTestClient.produce(EVENTS.name(), List.of(failed));
        // The gate has seen the failure once the holds name it as their reason.
        awaitHolds(h -> h.size() == 2 && h.values().stream().allMatch(hold -> hold.reason().contains("did not complete cleanly")));
        assertThat(plans().keySet()).as("a failed canary holds the main wave").containsExactly("canary.example");

        EventLogTestClient.produce(EVENTS.name(), List.of(next(failed, new Cancelled("operator", "given up"))));
        Map<String, EventEnvelope> plans = awaitPlans(2);
        // The gate has decided about the other main-wave domain once its hold names the wave's limit as the reason.
        awaitHolds(h -> h.size() == 1 && h.values().iterator().next().reason().contains("are changing"));
        plans = plans();
        assertThat(plans).as("one main-wave domain at a time").hasSize(2);
        String first = plans.containsKey("main-1.example") ? "main-1.example" : "main-2.example";
        String second = first.equals("main-1.example") ? "main-2.example" : "main-1.example";

        assertThat(holds().keySet()).as("the first main-wave domain is no longer held").containsExactly(second);

        EventLogTestClient.produce(EVENTS.name(), List.of(next(plans.get(first), new Cancelled("operator", "out of the way"))));
        assertThat(awaitPlans(3)).containsKey(second);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(holds()).as("every hold ended with a tombstone").isEmpty());
    }

    private static void awaitHolds(java.util.function.Predicate<Map<String, GateHold>> decided) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(WaveGateServiceIT::holds, decided);
    }

    /** The gate-holds topic read to its end: each domain's latest hold, tombstones removing it. */
    private static Map<String, GateHold> holds() {
        Map<String, GateHold> holds = new TreeMap<>();
        TopicToEnd.read(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()), TopicCatalogue.gateHoldsOf(STATE.name()),
                p -> true, Duration.ofSeconds(30), r -> {
                    String domain = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        holds.remove(domain);
                    } else {
                        holds.put(domain, GateHold.decode(r.value()));
                    }
                });
        return holds;
    }

    private static DomainHistory ready(String name, String wave) {
        DomainName domain = DomainName.of(name);
        DomainHistory history = new DomainHistory(domain, TenantId.of("tenant-" + name));
        history.add(new MigrationRequested(new ProviderRef("powerdns-lab", domain), Fixtures.targetHostOf(domain), wave, List.of(), "test"));
        while (history.state().status() != WorkflowStatus.READY) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        return history;
    }

    private static EventEnvelope next(EventEnvelope after, MigrationEvent payload) {
        return Workflow.emit(after.state(), after.tenant(), payload, UUID.randomUUID(), after.eventId(), Instant.now(),
                EventCodec.CURRENT_SCHEMA_VERSION);
    }

    /** Every plan in the log so far, per domain. */
    private static Map<String, EventEnvelope> plans() {
        Map<String, EventEnvelope> plans = new TreeMap<>();
        TopicToEnd.read(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()), EVENTS.name(), p -> true, Duration.ofSeconds(30), r -> {
            EventEnvelope e = CODEC.decode(r.value());
            if (e.payload() instanceof PlanGenerated) {
                plans.put(e.domain().value(), e);
            }
        });
        return plans;
    }

    private static Map<String, EventEnvelope> awaitPlans(int count) {
        Map<String, EventEnvelope> plans = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(WaveGateServiceIT::plans, found -> found.size() >= count);
        assertThat(plans).as("no more plans than the gate admitted").hasSize(count);
        return plans;
    }
}
