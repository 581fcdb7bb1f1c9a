package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** What the services' integration tests do with the event log: write histories as a service would, read back what a service appended. */
public final class EventLogTestClient {

    private static final EventCodec CODEC = new EventCodec();
    private static final KafkaClients CLIENTS = new KafkaClients(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()));

    private EventLogTestClient() {
    }

    /** Writes the events, keyed by domain, one after the other, each acknowledged. */
    public static void produce(String topic, List<EventEnvelope> events) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = CLIENTS.producer(Map.of())) {
            for (EventEnvelope event : events) {
                producer.send(new ProducerRecord<>(topic, event.domain().value().getBytes(StandardCharsets.UTF_8), CODEC.encode(event)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Writes the state to the state topic, keyed by its domain, as a service would after the state's event; acknowledged. */
    public static void produceState(String topic, MigrationState state) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = CLIENTS.producer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, state.domain().value().getBytes(StandardCharsets.UTF_8), CODEC.encodeState(state)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Reads the topic from the start until {@code count} domains have an event that {@code wanted} accepts (the last
     * such per domain), or fails after {@code patience}.
     */
    public static Map<String, EventEnvelope> latestPerDomain(String topic, int count, Predicate<EventEnvelope> wanted, Duration patience) {
        Map<String, EventEnvelope> found = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = CLIENTS.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + patience.toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    EventEnvelope event = CODEC.decode(record.value());
                    if (wanted.test(event)) {
                        found.put(event.domain().value(), event);
                    }
                }
            }
        }
        assertThat(found).as("domains with the awaited event on %s", topic).hasSize(count);
        return found;
    }
}
