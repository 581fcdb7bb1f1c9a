package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationFailed;
import dev.mxshift.model.event.PlanGenerated;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.service.EventLogTestClient;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The record-generation service on the event log: a domain that passed preflight gets its plan as its next event
 * when its checksum is in the approved file, read at decision time; one whose plan nobody approved fails with the
 * checksum to review.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        // Both domains are the same tenant's: the wave gate (WaveGateServiceIT) would hold the second while the first changes.
        properties = "mxshift.record-generation.wave-gate.max-tenant-percent=100")
class RecordGenerationServiceIT {

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = TestTopics.unique(TopicCatalogue.defaults().state());
    private static final Path APPROVED;

    static {
        try {
            APPROVED = Files.createTempFile("approved-checksums", ".txt");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        bindToTestTopics(registry, EVENTS, STATE);
        registry.add("mxshift.record-generation.approved-checksums-file", APPROVED::toString);
    }

    /** The service on the test broker, with topics of its own (and their dead-letter topic). */
    static void bindToTestTopics(DynamicPropertyRegistry registry, TopicSpec events, TopicSpec state) {
        String bootstrap = KafkaTestBroker.bootstrapServers();
        TestTopics.create(bootstrap, events, state, new TopicSpec(events.name() + ".dlt", events.key(), events.partitions(), events.config(), "test"));
        registry.add("spring.cloud.stream.kafka.binder.brokers", () -> bootstrap);
        registry.add("spring.cloud.stream.bindings.events-in-0.destination", events::name);
        registry.add("spring.cloud.stream.bindings.events-out-0.destination", events::name);
        registry.add("mxshift.events.state-topic", state::name);
        registry.add("spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name", () -> events.name() + ".dlt");
    }

    @Test
    void anApprovedPlanIsAppendedAndAnUnreviewedOneIsHeldWithItsChecksum() throws Exception {
        DomainHistory approved = ready(DomainName.of("approved.example"));
        DomainHistory unreviewed = ready(DomainName.of("unreviewed.example"));
        String checksum = ((PlanDecision.Planned) PlanGenerator.decide(approved.state(), PlanOptions.defaults())).plan().checksum();
        Files.writeString(APPROVED, "# reviewed in the dry run\n" + checksum + "  # approved.example\n");

        EventLogTestClient.produce(EVENTS.name(), approved.events());
        EventLogTestClient.produce(EVENTS.name(), unreviewed.events());

        Map<String, EventEnvelope> decisions = EventLogTestClient.latestPerDomain(EVENTS.name(), 2,
                e -> e.payload() instanceof PlanGenerated || e.payload() instanceof MigrationFailed, Duration.ofSeconds(60));
        EventEnvelope plan = decisions.get("approved.example");
        assertThat(plan.payload()).isInstanceOfSatisfying(PlanGenerated.class, p -> assertThat(p.checksum()).isEqualTo(checksum));
        assertThat(plan.sequence()).isEqualTo(approved.last().sequence() + 1);
        assertThat(plan.causationId()).isEqualTo(approved.last().eventId());
        assertThat(plan.state().status()).isEqualTo(WorkflowStatus.MIGRATING);
        EventEnvelope held = decisions.get("unreviewed.example");
        assertThat(held.payload()).isInstanceOfSatisfying(MigrationFailed.class,
                f -> assertThat(f.reason()).contains("PLAN_NOT_REVIEWED").contains("checksum"));
    }

    private static DomainHistory ready(DomainName domain) {
        DomainHistory history = DomainHistory.of(domain);
        while (history.state().status() != WorkflowStatus.READY) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        return history;
    }


}
