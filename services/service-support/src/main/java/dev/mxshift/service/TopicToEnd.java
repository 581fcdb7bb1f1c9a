package dev.mxshift.service;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * Reads a topic from its start to the end offsets it has when the read begins, without joining a consumer group
 * (committed transactions only), and hands every record over in partition order. For what a process must know
 * before it consumes: the state topic at start, a domain's history for an operator command.
 */
public final class TopicToEnd {

    private TopicToEnd() {
    }

    /** Returns false, having read nothing, when the topic does not exist. */
    public static boolean read(String bootstrap, String topic, Duration patience, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        return read(KafkaClientSettings.plaintext(bootstrap), topic, p -> true, patience, each);
    }

    /** Reads only the partitions {@code partitions} accepts (a domain's partition, a consumer's assignment). */
    public static boolean read(KafkaClientSettings kafka, String topic, IntPredicate partitions, Duration patience,
                               Consumer<ConsumerRecord<byte[], byte[]>> each) {
        return read(kafka, topic, partitions, Map.of(), patience, each);
    }

    /** Reads the partitions {@code partitions} accepts, each from its offset in {@code from} (its start if absent). */
    public static boolean read(KafkaClientSettings kafka, String topic, IntPredicate partitions, Map<Integer, Long> from, Duration patience,
                               Consumer<ConsumerRecord<byte[], byte[]>> each) {
        return read(kafka, topic, partitions, from, IsolationLevel.READ_COMMITTED, patience, each);
    }

    /**
     * As above, with the isolation level given: {@link IsolationLevel#READ_UNCOMMITTED} also reads, up to the high
     * watermark, what an open transaction holds back from committed readers (a non-transactional append made after
     * that transaction began, as the operator's are), and the records of open and aborted transactions.
     */
    public static boolean read(KafkaClientSettings kafka, String topic, IntPredicate partitions, Map<Integer, Long> from,
                               IsolationLevel isolation, Duration patience, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaClients(kafka).consumer(Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString()))) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, patience);
            if (infos == null || infos.isEmpty()) {
                return false;
            }
            List<TopicPartition> chosen = new ArrayList<>();
            infos.stream().filter(p -> partitions.test(p.partition())).forEach(p -> chosen.add(new TopicPartition(topic, p.partition())));
            if (chosen.isEmpty()) {
                return true;
            }
            consumer.assign(chosen);
            consumer.seekToBeginning(chosen);
            chosen.stream().filter(p -> from.containsKey(p.partition())).forEach(p -> consumer.seek(p, from.get(p.partition())));
            Map<TopicPartition, Long> end = consumer.endOffsets(chosen, patience);
            long deadline = System.nanoTime() + patience.toNanos();
            while (chosen.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " to its end took longer than " + patience.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    // records appended after the read began are not part of it
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        each.accept(record);
                    }
                }
            }
            return true;
        }
    }
}
