package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;

/**
 * Appends a service's events to {@code migration.events} (the destination of the binding {@code events-out-0}), keyed
 * by the domain so that every event of a domain lands in its partition, in order.
 *
 * <p>On the consumer thread the append joins the listener's Kafka transaction: the event and the offset of the
 * record that caused it commit together, or neither does (consume, then produce, exactly once). From another thread
 * (a wait timer firing) the append runs in a transaction of its own. The domain's state is not written here: the
 * {@link StateProjector} writes it from the log, in the log's order (decision 0015).
 *
 * <p>The record goes straight to a {@link KafkaOperations} on the binder's own transactional producers, the ones its
 * transactions are bound to, rather than through {@code StreamBridge}: the bridge's function and message-channel
 * layers (an observation per send, and a JSON parse of every payload to see whether it is a collection) cost more
 * than the send itself (decision 0018, second addendum).
 */
public final class EventAppender {

    public static final String BINDING = "events-out-0";
    public static final String PRODUCED = "mxshift.events.produced";

    private final KafkaOperations<byte[], byte[]> log;
    private final String topic;
    private final EventCodec codec;
    private final TransactionTemplate ownTransaction;
    private final io.micrometer.core.instrument.MeterRegistry meters;
    /** Registered once per type: looking a meter up for every event showed in profiles. */
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> produced = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param log            the binder's transactional producers, as Kafka operations
     * @param topic          the event log's topic (the destination of {@code events-out-0})
     * @param ownTransaction for appends made outside the consumer's transaction, on the same producers
     */
    public EventAppender(KafkaOperations<byte[], byte[]> log, String topic, EventCodec codec, TransactionTemplate ownTransaction,
                         io.micrometer.core.instrument.MeterRegistry meters) {
        if (!log.isTransactional()) {
            throw new IllegalArgumentException("the event log's appends must be transactional (decisions 0015 and 0018)");
        }
        this.meters = meters;
        this.log = log;
        this.topic = java.util.Objects.requireNonNull(topic, "topic");
        this.codec = codec;
        this.ownTransaction = java.util.Objects.requireNonNull(ownTransaction, "ownTransaction");
    }

    /** Set on a thread that handles an event concurrently: its appends are kept here, for the consumer thread to make. */
    private static final ThreadLocal<java.util.List<EventEnvelope>> CAPTURED = new ThreadLocal<>();

    /**
     * Runs {@code handling} with every append it makes on this thread kept in {@code appended} instead of sent: the
     * consumer thread then appends them inside its batch's transaction ({@link EventLogConsumer}).
     */
    static void capturing(java.util.List<EventEnvelope> appended, Runnable handling) {
        CAPTURED.set(appended);
        try {
            handling.run();
        } finally {
            CAPTURED.remove();
        }
    }

    public void append(EventEnvelope event) {
        java.util.List<EventEnvelope> captured = CAPTURED.get();
        if (captured != null) {
            captured.add(event);
            return;
        }
        byte[] key = event.domain().value().getBytes(StandardCharsets.UTF_8);
        byte[] value = codec.encode(event);
        // Not waited for: the transaction's commit proves the broker took it, and fails (rolling back) if it did not.
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            ownTransaction.executeWithoutResult(status -> log.send(topic, key, value));
        } else {
            log.send(topic, key, value);
        }
        // counted when sent; a transaction rolled back afterwards sends it again, and counts it again
        produced.computeIfAbsent(event.type(), type -> io.micrometer.core.instrument.Counter.builder(PRODUCED)
                .description("events appended to migration.events by this service, by type").tag("type", type).register(meters))
                .increment();
    }
}
