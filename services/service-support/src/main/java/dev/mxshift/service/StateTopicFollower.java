package dev.mxshift.service;

import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
import dev.mxshift.model.workflow.MigrationState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Follows the compacted state topic, every partition, from its start and then as it grows, and hands each state to
 * the caller on its own thread: a view of every domain, including those of other instances' partitions, a poll
 * behind the state projection. Committed states only; no consumer group. A record that is not a state is skipped.
 */
public final class StateTopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateTopicFollower.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Consumer<MigrationState> each;
    private final Thread thread;
    private volatile boolean running = true;

    public StateTopicFollower(KafkaClientSettings kafka, String topic, String name, Consumer<MigrationState> each) {
        this.topic = topic;
        this.each = each;
        this.consumer = new KafkaClients(kafka).consumer(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, name));
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        EventCodec codec = new EventCodec();
        try {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                try {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                    partitions = infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    LOG.warn("{} is not readable yet ({}); trying again", topic, e.getMessage());
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.value() == null) {
                            continue;
                        }
                        try {
                            each.accept(codec.decodeState(record.value()));
                        } catch (EventDecodingException e) {
                            LOG.warn("a record of {} at {}:{} is not a migration state; skipped", topic, record.partition(), record.offset());
                        }
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // The broker away, a caller's bug: keep following; the view must not silently freeze.
                    LOG.warn("following {}: {}; going on in a second", topic, e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("following {} stopped: {}", topic, e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
