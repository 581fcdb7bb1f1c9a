package dev.mxshift.testsupport;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The event log through a real broker with the real codec: per-domain order and key routing hold. */
class EventLogRoundTripIT {

    private static final int DOMAINS = 300;

    @Test
    void eventsOfManyDomainsKeepTheirOrderAndEachDomainStaysInItsKeysPartition() {
        String bootstrap = KafkaTestBroker.bootstrapServers();
        TopicSpec topic = TestTopics.unique(TopicCatalogue.defaults().events());
        TestTopics.create(bootstrap, topic);
        EventCodec codec = new EventCodec();
        List<DomainHistory> histories = IntStream.range(0, DOMAINS)
                .mapToObj(i -> CooperativeWorld.migrated(DomainName.of("tenant-" + i + ".example")))
                .toList();
        int total = histories.stream().mapToInt(h -> h.events().size()).sum();

        // Interleaved, as four services writing for many domains at once would produce them.
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (int round = 0; round < 100; round++) {
                for (DomainHistory history : histories) {
                    if (round < history.events().size()) {
                        EventEnvelope event = history.events().get(round);
                        producer.send(new ProducerRecord<>(topic.name(), event.domain().value().getBytes(StandardCharsets.UTF_8),
                                codec.encode(event)));
                    }
                }
            }
            producer.flush();
        }

        List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "round-trip-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (received.size() < total && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        assertThat(received).hasSize(total);

        Map<DomainName, List<EventEnvelope>> byDomain = new HashMap<>();
        Map<DomainName, Integer> partitionOf = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : received) {
            EventEnvelope event = codec.decode(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.domain().value());
            int expectedPartition = Utils.toPositive(Utils.murmur2(record.key())) % topic.partitions();
            assertThat(record.partition()).as("partition of %s", event.domain()).isEqualTo(expectedPartition);
            assertThat(partitionOf.computeIfAbsent(event.domain(), d -> record.partition())).isEqualTo(record.partition());
            byDomain.computeIfAbsent(event.domain(), d -> new ArrayList<>()).add(event);
        }
        assertThat(partitionOf.values().stream().distinct().count()).as("domains spread over all partitions").isEqualTo(topic.partitions());

        for (DomainHistory history : histories) {
            List<EventEnvelope> consumed = byDomain.get(history.state().domain());
            assertThat(consumed).as("events of %s in consumption order", history.state().domain())
                    .isEqualTo(history.events());
            MigrationState replayed = Workflow.replay(MigrationState.initial(history.state().domain()), consumed);
            assertThat(replayed).isEqualTo(history.state());
            assertThat(replayed.status()).isEqualTo(WorkflowStatus.COMPLETED);
        }
    }
}
