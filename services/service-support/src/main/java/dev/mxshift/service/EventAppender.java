package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
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
 *
 * <p>On the consumer thread the record goes straight to the producer the listener's transaction has bound to the
 * thread, through a {@link KafkaOperations} on the binder's own transactional producers, rather than through
 * {@code StreamBridge}: the bridge's function and message-channel layers cost several times the send itself (13-14% of
 * discovery's and record generation's CPU in a 30,000-domain dry run; decision 0046). Only
 * when that producer is bound does the append take this way; otherwise, and for appends from other threads, it goes
 * through the binding as before.
 */
public final class EventAppender {

    public static final String BINDING = "events-out-0";
    public static final String PRODUCED = "mxshift.events.produced";

    private final StreamBridge bridge;
    /** The binder's transactional producers as Kafka operations, and their factory: the key of the bound producer. */
    private final KafkaOperations<byte[], byte[]> boundProducer;
    private final ProducerFactory<byte[], byte[]> producers;
    private final String topic;
    private final java.util.concurrent.atomic.AtomicLong joinedListenerTransactions = new java.util.concurrent.atomic.AtomicLong();
    private final EventCodec codec;
    private final TransactionTemplate ownTransaction;
    private final io.micrometer.core.instrument.MeterRegistry meters;
    /** Registered once per type: looking a meter up for every event showed in profiles. */
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> produced = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param bridge         the binding {@code events-out-0}, for appends made outside the consumer's transaction
     * @param producers      the binder's transactional producer factory, the one the listener container's transactions bind
     * @param topic          the event log's topic, the destination of {@code events-out-0}
     * @param ownTransaction for appends made outside the consumer's transaction (the binder must be transactional)
     */
    public EventAppender(StreamBridge bridge, ProducerFactory<byte[], byte[]> producers, String topic, EventCodec codec,
                         TransactionTemplate ownTransaction, io.micrometer.core.instrument.MeterRegistry meters) {
        if (!producers.transactionCapable()) {
            throw new IllegalArgumentException("the event log's appends must be transactional (decisions 0015 and 0018)");
        }
        KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(producers);
        // counted here, once per type; the template's own timer per send is not wanted
        template.setMicrometerEnabled(false);
        this.boundProducer = template;
        this.producers = producers;
        this.topic = java.util.Objects.requireNonNull(topic, "topic");
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
        if (TransactionSynchronizationManager.hasResource(producers)) {
            // the listener's transaction, whose producer its transaction manager bound to this thread (it runs without
            // transaction synchronization, so the thread shows no "actual transaction" but holds the producer): the
            // send joins it, and its commit (with the consumed offsets) proves the broker took the event, or fails and
            // rolls the batch back
            joinedListenerTransactions.incrementAndGet();
            boundProducer.send(topic, EventWriter.keyOf(event.domain()), encoded);
            counted(event);
            return encoded.length;
        }
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
        counted(event);
        return encoded.length;
    }

    /** How many appends were handed straight to the producer of the listener's transaction (the others went through the binding). */
    public long appendsJoiningTheListenersTransaction() {
        return joinedListenerTransactions.get();
    }

    /** Counted when sent; a transaction rolled back afterwards sends it again, and counts it again. */
    private void counted(EventEnvelope event) {
        produced.computeIfAbsent(event.type(), type -> io.micrometer.core.instrument.Counter.builder(PRODUCED)
                .description("events appended to migration.events by this service, by type").tag("type", type).register(meters))
                .increment();
    }

    /** The event log refused or lost an append: a failure of the log, not of the event. */
    public static final class NotTaken extends IllegalStateException {
        NotTaken(String message) {
            super(message);
        }
    }
}
