package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.Workflow;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code migration.events} from the start to its current end, without joining a consumer group, and folds the
 * events of the domains asked for: their state now, as the workflow defines it. For operator commands that append
 * to a domain's history (a target learned later) until the compacted state topic serves them (issue 8). Records
 * that do not decode, or events of other domains, are skipped; the scan ends at the end offsets it found at start.
 */
public final class EventLogScan {

    private EventLogScan() {
    }

    public static Map<DomainName, MigrationState> statesOf(String bootstrap, String topic, Set<DomainName> wanted, Duration patience) {
        EventCodec codec = new EventCodec();
        Map<String, DomainName> keys = new HashMap<>();
        wanted.forEach(d -> keys.put(d.value(), d));
        Map<DomainName, MigrationState> states = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            List<PartitionInfo> infos = consumer.partitionsFor(topic, patience);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("the topic " + topic + " does not exist at " + bootstrap);
            }
            infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, patience);
            long deadline = System.nanoTime() + patience.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " to its end took longer than " + patience.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    DomainName domain = record.key() == null ? null : keys.get(new String(record.key(), StandardCharsets.UTF_8));
                    if (domain == null) {
                        continue;
                    }
                    try {
                        EventEnvelope event = codec.decode(record.value());
                        MigrationState before = states.getOrDefault(domain, MigrationState.initial(domain));
                        if (event.sequence() == before.sequence() + 1) {
                            states.put(domain, Workflow.apply(before, event));
                        }
                    } catch (EventDecodingException e) {
                        // dead-lettered by the services; it is not part of the domain's history
                    }
                }
            }
        }
        return states;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }
}
