package dev.mxshift.service;

import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
import dev.mxshift.model.workflow.MigrationState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the compacted state topic from its start to its current end, without a consumer group, and hands every
 * state to the caller in order (a domain's later states after its earlier ones). What a service knows of every
 * domain before it consumes the event log: the latest sequence per domain, the waiting domains. A record that is
 * not a state is skipped with a warning.
 */
public final class StateTopicReader {

    private static final Logger LOG = LoggerFactory.getLogger(StateTopicReader.class);

    private StateTopicReader() {
    }

    /** Returns how many states were read; none when the topic does not exist yet. */
    public static long forEach(String bootstrap, String stateTopic, Duration patience, Consumer<MigrationState> each) {
        EventCodec codec = new EventCodec();
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<PartitionInfo> infos = consumer.partitionsFor(stateTopic, patience);
            if (infos == null || infos.isEmpty()) {
                return 0;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(p -> partitions.add(new TopicPartition(stateTopic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, patience);
            long deadline = System.nanoTime() + patience.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + stateTopic + " to its end took longer than " + patience.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        continue;
                    }
                    try {
                        each.accept(codec.decodeState(record.value()));
                        read++;
                    } catch (EventDecodingException e) {
                        LOG.warn("a record of {} at offset {} is not a migration state; skipped", stateTopic, record.offset());
                    }
                }
            }
        }
        return read;
    }
}
