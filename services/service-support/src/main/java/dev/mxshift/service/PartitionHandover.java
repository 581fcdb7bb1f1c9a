package dev.mxshift.service;

import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
import dev.mxshift.model.workflow.MigrationState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a consumer of the event log learns when Kafka gives it partitions, and forgets when Kafka takes them away, so
 * that what a service keeps per domain (its timers above all) follows partition ownership (decision 0014, addendum
 * 2026-12-01). Without it a timer set by an instance that then stopped was lost: the instance that took the partition
 * resumes after the stopped one's committed offsets and never sees the event that set the timer.
 *
 * <p>Given partitions: the domains' states from the state topic, then the event log's records that the state topic
 * may not hold yet (from the projector's committed offsets on), each handed to the
 * consumer's stale-check memory and to every handler's {@link PartitionLifecycle#recovered}, before any record of
 * those partitions is consumed. The projector commits its offsets in the transaction of the states it wrote, so the
 * two reads together miss nothing. Taken partitions: every handler's {@link PartitionLifecycle#released}.
 *
 * <p>Kafka calls both on the consumer thread, inside its poll: with eager rebalancing every partition is taken and
 * given again at each rebalance (read again, a few seconds for 100,000 domains), with cooperative rebalancing only
 * those that move.
 */
public final class PartitionHandover implements KafkaBindingRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionHandover.class);
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final int ATTEMPTS = 5;

    private final KafkaClientSettings kafka;
    private final String eventsTopic;
    private final String stateTopic;
    private final String projectorGroup;
    private final EventCodec codec;
    private final Supplier<EventLogConsumer> consumer;
    /** Looked up when Kafka first calls: the handlers need the appender, which needs the binder this listener is part of. */
    private final Supplier<List<PartitionLifecycle>> lookUpHandlers;
    private volatile List<PartitionLifecycle> handlers;

    public PartitionHandover(KafkaClientSettings kafka, String eventsTopic, String stateTopic, String projectorGroup, EventCodec codec,
                             Supplier<EventLogConsumer> consumer, Supplier<List<PartitionLifecycle>> handlers) {
        this.kafka = kafka;
        this.eventsTopic = eventsTopic;
        this.stateTopic = stateTopic;
        this.projectorGroup = projectorGroup;
        this.codec = codec;
        this.consumer = consumer;
        this.lookUpHandlers = handlers;
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(String binding, Consumer<?, ?> kafkaConsumer, Collection<TopicPartition> partitions) {
        Set<Integer> taken = numbers(partitions);
        if (taken.isEmpty()) {
            return;
        }
        int count = kafkaConsumer.partitionsFor(eventsTopic).size();
        Predicate<String> ofTaken = domain -> taken.contains(EventWriter.partitionOf(domain, count));
        handlers().forEach(h -> h.released(ofTaken));
        LOG.info("{}: partitions {} taken from this consumer; what it kept for their domains is released", eventsTopic, taken);
    }

    @Override
    public void onPartitionsAssigned(String binding, Consumer<?, ?> kafkaConsumer, Collection<TopicPartition> partitions, boolean initial) {
        Set<Integer> given = numbers(partitions);
        if (given.isEmpty()) {
            return;
        }
        // Held for the whole hand-over, retries included: a domain's states come oldest first, and a timer recovered
        // from the older one, overdue, must not fire before the newer one cancels it.
        List<PartitionLifecycle> all = handlers();
        all.forEach(PartitionLifecycle::handoverStarted);
        // Up to ATTEMPTS reads, 1 s, 2 s, 3 s ... apart (Resilience4j's retry).
        io.github.resilience4j.retry.Retry retry = io.github.resilience4j.retry.Retry.of("partition-handover",
                io.github.resilience4j.retry.RetryConfig.custom().maxAttempts(ATTEMPTS)
                        .intervalFunction(io.github.resilience4j.core.IntervalFunction.of(Duration.ofSeconds(1), pause -> pause + 1000))
                        .retryExceptions(RuntimeException.class).build());
        retry.getEventPublisher().onRetry(e -> LOG.warn("{}: learning the states of partitions {} failed ({}); trying again",
                eventsTopic, given, String.valueOf(e.getLastThrowable())));
        try {
            retry.executeRunnable(() -> learn(given));
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not learn the states of partitions " + given + " of " + eventsTopic
                    + " after " + ATTEMPTS + " attempts: " + e.getMessage(), e);
        } finally {
            all.forEach(PartitionLifecycle::handoverEnded);
        }
    }

    private void learn(Set<Integer> given) {
        // The projector's offsets first: every state it committed with them is then in the state topic, and the log
        // from them on holds every later event (one a timer appended just before a stop, not projected yet).
        Map<Integer, Long> from = projectorOffsets();
        EventLogConsumer memory = consumer.get();
        List<PartitionLifecycle> all = handlers();
        java.util.function.Consumer<MigrationState> learn = state -> {
            memory.remember(state.domain().value(), state.sequence(), state.lastEventId());
            all.forEach(h -> h.recovered(state));
        };
        long states = StateTopicView.forEach(kafka, stateTopic, given::contains, PATIENCE, learn);
        AtomicLong tail = new AtomicLong();
        TopicToEnd.read(kafka, eventsTopic, given::contains, from, PATIENCE, record -> {
            try {
                learn.accept(codec.decode(record.value()).state());
                tail.incrementAndGet();
            } catch (EventDecodingException | NullPointerException e) {
                // the consumer dead-letters it when it gets there
            }
        });
        LOG.info("{}: partitions {} given to this consumer: {} states from {}, {} events after them", eventsTopic, given, states, stateTopic, tail);
    }

    /** The offsets the state projector's group has committed on the event log, by partition (absent where it has none). */
    private Map<Integer, Long> projectorOffsets() {
        try (Admin admin = new KafkaClients(kafka).admin()) {
            Map<Integer, Long> byPartition = new HashMap<>();
            admin.listConsumerGroupOffsets(projectorGroup).partitionsToOffsetAndMetadata().get(PATIENCE.toSeconds(), TimeUnit.SECONDS)
                    .forEach((tp, o) -> {
                        if (o != null && tp.topic().equals(eventsTopic)) {
                            byPartition.put(tp.partition(), o.offset());
                        }
                    });
            return byPartition;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the committed offsets of consumer group " + projectorGroup, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the committed offsets of consumer group " + projectorGroup + ": " + e.getMessage(), e);
        }
    }

    private List<PartitionLifecycle> handlers() {
        List<PartitionLifecycle> known = handlers;
        if (known == null) {
            known = List.copyOf(lookUpHandlers.get());
            handlers = known;
        }
        return known;
    }

    private Set<Integer> numbers(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = new TreeSet<>();
        partitions.stream().filter(p -> p.topic().equals(eventsTopic)).forEach(p -> numbers.add(p.partition()));
        return numbers;
    }
}
