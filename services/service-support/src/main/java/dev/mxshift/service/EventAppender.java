package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends a service's events to {@code migration.events} through the binding {@code events-out-0}, keyed by the
 * domain so that every event of a domain lands in its partition, in order.
 *
 * <p>The event-log runtime ({@link EventLogConsumer}) appends what a service's handlers decide; a timer or the wave
 * gate's re-check appends what it decides when it fires. On the consumer thread the append joins the listener's Kafka transaction: the event and the offset of the
 * record that caused it commit together, or neither does (consume, then produce, exactly once). From another thread
 * (a wait timer firing) the append runs in a transaction of its own. The domain's state is not written here: the
 * {@link StateProjector} writes it from the log, in the log's order (decision 0015).
 */
public final class EventAppender {

    public static final String BINDING = "events-out-0";
    public static final String PRODUCED = "mxshift.events.produced";

    private final StreamBridge bridge;
    private final EventCodec codec;
    private final TransactionTemplate ownTransaction;
    private final io.micrometer.core.instrument.MeterRegistry meters;
    /** Registered once per type: looking a meter up for every event showed in profiles. */
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> produced = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code ownTransaction}: for appends made outside the consumer's transaction (the binder must be transactional). */
    public EventAppender(StreamBridge bridge, EventCodec codec, TransactionTemplate ownTransaction, io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = meters;
        this.bridge = bridge;
        this.codec = codec;
        this.ownTransaction = java.util.Objects.requireNonNull(ownTransaction, "ownTransaction");
    }

    /**
     * Appends {@code event} and returns its encoded size. The appends are not each waited for (decision 0018), so a
     * broker that refuses one as too large says so only at the batch's commit, without naming it: the runtime finds
     * the record that caused it by the sizes ({@link EventLogConsumer}).
     */
    public int append(EventEnvelope event) {
        byte[] encoded = codec.encode(event);
        Message<byte[]> message = MessageBuilder.withPayload(encoded)
                .setHeader(KafkaHeaders.KEY, EventWriter.keyOf(event.domain()))
                .build();
        boolean taken;
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            taken = Boolean.TRUE.equals(ownTransaction.execute(status -> bridge.send(BINDING, message)));
        } else {
            taken = bridge.send(BINDING, message);
        }
        if (!taken) {
            throw new NotTaken("the event log did not take " + event.type() + " #" + event.sequence() + " of " + event.domain());
        }
        // counted when sent; a transaction rolled back afterwards sends it again, and counts it again
        produced.computeIfAbsent(event.type(), type -> io.micrometer.core.instrument.Counter.builder(PRODUCED)
                .description("events appended to migration.events by this service, by type").tag("type", type).register(meters))
                .increment();
        return encoded.length;
    }

    /** The event log refused or lost an append: a failure of the log, not of the event. */
    public static final class NotTaken extends IllegalStateException {
        NotTaken(String message) {
            super(message);
        }
    }
}
