package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
import dev.mxshift.model.workflow.MigrationState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every domain's latest state from the compacted state topic, kept up to date by reading only what was appended since
 * the last {@link #refresh()}: what a long-lived reader (the operator's {@code watch}, its HTTP API) needs, where
 * reading the whole topic again at every refresh would cost as much as the services' own work at 100,000 domains
 * (the topic keeps every state until compaction, a few per domain).
 *
 * <p>Within one refresh only a domain's last record is decoded. A record that is not a state is skipped with a
 * warning, and its domain keeps the state it had. Committed transactions only. Not thread-safe: one caller at a
 * time. Unlike {@link StateTopicFollower}, which hands every state over on its own thread as it comes, this one
 * reads when asked and says up to which offsets its answer goes, so an operator's append can be confirmed from there.
 */
public final class StateTopicView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateTopicView.class);

    /** The states as of {@code ends}: every record of the state topic before those offsets is in them. */
    public record Snapshot(Map<DomainName, MigrationState> states, Map<TopicPartition, Long> ends) {
    }

    /** What the follower has done so far: records read from the topic, and states decoded from them. */
    public record Counts(long refreshes, long recordsRead, long statesDecoded) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration patience;
    private final EventCodec codec = new EventCodec();
    private final Map<DomainName, MigrationState> states = new LinkedHashMap<>();
    private List<TopicPartition> partitions;
    private long refreshes;
    private long recordsRead;
    private long statesDecoded;

    /**
     * @param patience how long one refresh may take to reach the topic's end (the first reads everything), and to
     *                 learn the topic's partitions
     */
    public StateTopicView(KafkaClientSettings kafka, String stateTopic, Duration patience) {
        this.topic = stateTopic;
        this.patience = patience;
        this.consumer = new KafkaClients(kafka).consumer(Map.of(
                // compaction may remove the offset the follower stands at: go on from the oldest one kept, never skip
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    }

    /**
     * Reads what was appended since the last refresh (everything, the first time) up to the topic's end as of this
     * call, and returns a copy of every domain's latest state.
     *
     * @throws IllegalStateException when the topic does not exist, or its end was not reached within the patience
     */
    public Snapshot refresh() {
        if (partitions == null) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, patience);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("there is no state topic " + topic);
            }
            partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> from = new HashMap<>();
        partitions.forEach(p -> from.put(p, consumer.position(p, patience)));
        try {
            return readTo(consumer.endOffsets(partitions, patience));
        } catch (RuntimeException e) {
            // a refresh that did not finish leaves nothing half-read: the next one starts where this one did
            from.forEach(consumer::seek);
            throw e;
        }
    }

    private Snapshot readTo(Map<TopicPartition, Long> end) {
        Map<ByteBuffer, ConsumerRecord<byte[], byte[]>> latest = new LinkedHashMap<>();
        long deadline = System.nanoTime() + patience.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading " + topic + " to its end took longer than " + patience.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                recordsRead++;
                if (record.value() == null) {
                    continue;
                }
                if (record.key() == null) {
                    // not a projector's record, and no domain to group it by: keep the log's order around it
                    latest.values().forEach(this::decode);
                    latest.clear();
                    decode(record);
                } else {
                    // keeps the domain's first place in the order, with its last record
                    latest.put(ByteBuffer.wrap(record.key()), record);
                }
            }
        }
        latest.values().forEach(this::decode);
        refreshes++;
        Map<TopicPartition, Long> reached = new HashMap<>();
        partitions.forEach(p -> reached.put(p, consumer.position(p)));
        return new Snapshot(new LinkedHashMap<>(states), reached);
    }

    public Counts counts() {
        return new Counts(refreshes, recordsRead, statesDecoded);
    }

    private void decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            MigrationState state = codec.decodeState(record.value());
            statesDecoded++;
            states.put(state.domain(), state);
        } catch (EventDecodingException e) {
            LOG.warn("a record of {} at partition {} offset {} is not a migration state; skipped", topic, record.partition(), record.offset());
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
