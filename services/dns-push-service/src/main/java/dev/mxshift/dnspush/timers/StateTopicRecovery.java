package dev.mxshift.dnspush.timers;

import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
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

/**
 * At start, reads the compacted state topic to its current end (no consumer group) and hands every state to the
 * wait timers, which set a timer for each domain that is waiting. Runs before the service consumes the event log.
 */
public final class StateTopicRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(StateTopicRecovery.class);

    private StateTopicRecovery() {
    }

    public static int recover(String bootstrap, String stateTopic, WaitTimers timers, Duration patience) {
        EventCodec codec = new EventCodec();
        int waiting = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<PartitionInfo> infos = consumer.partitionsFor(stateTopic, patience);
            if (infos == null || infos.isEmpty()) {
                LOG.info("no state topic {} yet: no wait timers to recover", stateTopic);
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
                        int before = timers.size();
                        timers.recovered(codec.decodeState(record.value()));
                        waiting += timers.size() > before ? 1 : 0;
                    } catch (EventDecodingException e) {
                        LOG.warn("a record of {} at offset {} is not a migration state; skipped", stateTopic, record.offset());
                    }
                }
            }
        }
        LOG.info("recovered {} wait timers from {}", waiting, stateTopic);
        return waiting;
    }
}
