package dev.mxshift.service;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.AfterRollbackProcessor;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * After a batch of the event log rolled back: every partition of the batch goes back to its first record, so the
 * whole batch comes again after a pause, and nothing is skipped or dead-lettered here. The binder's own processor
 * would, after its attempts, dead-letter every record of the batch, innocent ones included; a record that keeps
 * failing is found and dead-lettered by {@link EventLogConsumer}, alone, on a later delivery.
 */
final class EventLogRollback<K, V> implements AfterRollbackProcessor<K, V> {

    private static final Logger LOG = LoggerFactory.getLogger(EventLogRollback.class);

    private final Duration pause;
    private final java.util.function.BiConsumer<Map<TopicPartition, Long>, Exception> forget;

    /**
     * {@code forget} runs first, on the consumer thread, with the batch's partitions and the reason: the consumer
     * forgets what the rolled-back batch taught it, and learns which record to dead-letter when Kafka refused one of
     * the events it caused.
     */
    EventLogRollback(Duration pause, java.util.function.BiConsumer<Map<TopicPartition, Long>, Exception> forget) {
        this.pause = pause;
        this.forget = forget;
    }

    @Override
    public void process(List<ConsumerRecord<K, V>> records, Consumer<K, V> consumer, MessageListenerContainer container,
                        Exception exception, boolean recoverable, ContainerProperties.EOSMode eosMode) {
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        for (ConsumerRecord<K, V> record : records) {
            first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        try {
            forget.accept(first, exception);
        } finally {
            // whatever the bookkeeping did, the batch must come again: without the seek it would be skipped
            first.forEach(consumer::seek);
        }
        LOG.warn("a batch of {} record(s) rolled back ({}); it comes again in {} ms from {}", records.size(),
                exception == null ? "no reason given" : exception.getMessage(), pause.toMillis(), first);
        try {
            // the container's own sleep: it ends early when the container stops, so a stopping service does not wait
            org.springframework.kafka.listener.ListenerUtils.stoppableSleep(container, pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
