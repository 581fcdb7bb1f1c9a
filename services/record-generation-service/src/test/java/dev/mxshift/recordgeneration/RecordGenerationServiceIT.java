package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationFailed;
import dev.mxshift.model.event.PlanGenerated;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The record-generation service on the event log: a domain that passed preflight gets its plan as its next event
 * when its checksum is in the approved file, read at decision time; one whose plan nobody approved fails with the
 * checksum to review.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class RecordGenerationServiceIT {

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final EventCodec CODEC = new EventCodec();
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
        String bootstrap = KafkaTestBroker.bootstrapServers();
        TestTopics.create(bootstrap, EVENTS, new TopicSpec(EVENTS.name() + ".dlt", EVENTS.key(), EVENTS.partitions(), EVENTS.config(), "test"));
        registry.add("spring.cloud.stream.kafka.binder.brokers", () -> bootstrap);
        registry.add("spring.cloud.stream.bindings.events-in-0.destination", EVENTS::name);
        registry.add("spring.cloud.stream.bindings.events-out-0.destination", EVENTS::name);
        registry.add("spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name", () -> EVENTS.name() + ".dlt");
        registry.add("mxshift.record-generation.approved-checksums-file", APPROVED::toString);
    }

    @Test
    void anApprovedPlanIsAppendedAndAnUnreviewedOneIsHeldWithItsChecksum() throws Exception {
        DomainHistory approved = ready(DomainName.of("approved.example"));
        DomainHistory unreviewed = ready(DomainName.of("unreviewed.example"));
        String checksum = ((PlanDecision.Planned) PlanGenerator.decide(approved.state(), PlanOptions.defaults())).plan().checksum();
        Files.writeString(APPROVED, "# reviewed in the dry run\n" + checksum + "  # approved.example\n");

        produce(approved.events());
        produce(unreviewed.events());

        Map<String, EventEnvelope> decisions = read(2);
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

    private static void produce(List<EventEnvelope> events) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (EventEnvelope event : events) {
                producer.send(new ProducerRecord<>(EVENTS.name(), event.domain().value().getBytes(StandardCharsets.UTF_8),
                        CODEC.encode(event))).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<String, EventEnvelope> read(int decisions) {
        Map<String, EventEnvelope> found = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "record-generation-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(EVENTS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (found.size() < decisions && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    EventEnvelope event = CODEC.decode(record.value());
                    if (event.payload() instanceof PlanGenerated || event.payload() instanceof MigrationFailed) {
                        found.put(event.domain().value(), event);
                    }
                }
            }
        }
        assertThat(found).hasSize(decisions);
        return found;
    }
}
