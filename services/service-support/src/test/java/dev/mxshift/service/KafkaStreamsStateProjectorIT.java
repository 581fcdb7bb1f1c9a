package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.testsupport.KafkaTestBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a real broker, the Kafka Streams projection (a KTable aggregated from the event log, exactly once) writes the
 * same state table as the hand-built {@link StateProjector} for one log with a repeated event, a stale one and a
 * record that is no event: every domain's state equal to the workflow's replay, each in the partition of its events,
 * the same records skipped for the same reasons (decision 0039).
 */
class KafkaStreamsStateProjectorIT {

    private static final EventCodec CODEC = new EventCodec();
    private final KafkaClientSettings kafka = KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers());

    @TempDir
    Path stateDir;

    @Test
    void writesTheStateTableTheHandBuiltProjectorWrites() throws Exception {
        long seed = Long.getLong("mxshift.seed", System.nanoTime());
        System.out.println("KafkaStreamsStateProjectorIT seed " + seed + " (replay: -Dmxshift.seed=" + seed + ")");
        String events = "st-events-" + UUID.randomUUID();
        String handTopic = events + ".state-hand";
        String streamsTopic = events + ".state-streams";
        try (Admin admin = new KafkaClients(kafka).admin()) {
            admin.createTopics(List.of(new NewTopic(events, 3, (short) 1), new NewTopic(handTopic, 3, (short) 1),
                    new NewTopic(streamsTopic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, List<byte[]>> records = histories();
        publish(events, records, new Random(seed));

        MeterRegistry handMeters = new SimpleMeterRegistry();
        try (StateProjector hand = new StateProjector(kafka, events, handTopic, "it", CODEC, handMeters).start()) {
            awaitCaughtUp(hand.group(), events);
        }
        MeterRegistry streamsMeters = new SimpleMeterRegistry();
        try (KafkaStreamsStateProjector streams = new KafkaStreamsStateProjector(kafka, events, streamsTopic, events + ".streams-it",
                stateDir, dev.mxshift.model.topic.TopicReplication.SINGLE_BROKER, CODEC, streamsMeters, Map.of()).start()) {
            awaitCaughtUp(streams.group(), events);
        }

        Map<DomainName, MigrationState> fold = StateTables.fold(kafka, events);
        assertThat(fold).hasSize(4);
        assertThat(StateTables.table(kafka, handTopic)).as("the hand-built table is the replay").isEqualTo(fold);
        assertThat(StateTables.table(kafka, streamsTopic)).as("the Kafka Streams table is the replay").isEqualTo(fold);
        assertThat(partitionsByDomain(streamsTopic)).as("each state in its events' partition, as the partition handover reads it")
                .isEqualTo(partitionsByDomain(handTopic));
        for (MeterRegistry meters : List.of(handMeters, streamsMeters)) {
            assertThat(meters.get(StateProjector.SKIPPED).tag("reason", "undecodable").counter().count()).isEqualTo(1);
            assertThat(meters.get(StateProjector.SKIPPED).tag("reason", "stale").counter().count()).isEqualTo(2);
        }
    }

    /**
     * Four domains: two migrated (one with a record that is no event amid its history), one stopped after four events,
     * one only requested; then a.example's second event again (stale) and c.example's last again (a repeat).
     */
    private static Map<String, List<byte[]>> histories() {
        Map<String, List<byte[]>> records = new LinkedHashMap<>();
        DomainHistory a = CooperativeWorld.migrated(DomainName.of("a.example"));
        DomainHistory b = CooperativeWorld.migrated(DomainName.of("b.example"));
        List<EventEnvelope> c = CooperativeWorld.migrated(DomainName.of("c.example")).events().subList(0, 4);
        List<EventEnvelope> d = CooperativeWorld.migrated(DomainName.of("d.example")).events().subList(0, 1);
        records.put("a.example", encoded(a.events()));
        List<byte[]> bRecords = encoded(b.events());
        bRecords.add(3, "{\"not\": \"an event\"".getBytes(StandardCharsets.UTF_8));
        records.put("b.example", bRecords);
        List<byte[]> cRecords = encoded(c);
        cRecords.add(CODEC.encode(c.get(3)));
        records.put("c.example", cRecords);
        records.put("d.example", encoded(d));
        records.get("a.example").add(CODEC.encode(a.events().get(1)));
        return records;
    }

    private static List<byte[]> encoded(List<EventEnvelope> events) {
        return new ArrayList<>(events.stream().map(CODEC::encode).toList());
    }

    /** Each domain's records in their order, the domains interleaved at random (Kafka's partitioner places them). */
    private void publish(String topic, Map<String, List<byte[]>> records, Random random) {
        Map<String, Integer> next = new HashMap<>();
        List<String> pending = new ArrayList<>(records.keySet());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaClients(kafka).producer(Map.of())) {
            while (!pending.isEmpty()) {
                String domain = pending.get(random.nextInt(pending.size()));
                int i = next.merge(domain, 1, Integer::sum) - 1;
                producer.send(new ProducerRecord<>(topic, domain.getBytes(StandardCharsets.UTF_8), records.get(domain).get(i)));
                if (i + 1 == records.get(domain).size()) {
                    pending.remove(domain);
                }
            }
            producer.flush();
        }
    }

    private void awaitCaughtUp(String group, String events) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> StateTables.progress(kafka, group, events).caughtUp());
    }

    private Map<String, Integer> partitionsByDomain(String topic) {
        Map<String, Integer> partitions = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        TopicToEnd.read(kafka, topic, p -> true, Duration.ofMinutes(1), all::add);
        all.forEach(r -> partitions.put(new String(r.key(), StandardCharsets.UTF_8), r.partition()));
        return partitions;
    }
}
