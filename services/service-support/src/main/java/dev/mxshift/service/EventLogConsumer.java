package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventHeader;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.model.workflow.Workflow;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Consumes {@code migration.events} for one service, a poll's batch at a time in one Kafka transaction (decision
 * 0018): reads each record's envelope with the shared codec, binds the carried state only where this service may own
 * the event or a {@link PartitionLifecycle} observes states, and the whole event only where this service owns it (or,
 * in the push service, where no consuming service does; decisions 0038, 0041); works out from the carried state what
 * happens next, and passes the events this service owns to its handlers, in partition order. A record that does not
 * decode where it is decoded, or whose event the workflow refuses, goes to the service's dead-letter topic with the
 * reason ({@link DeadLetters}), and the partition goes on. A concurrent handling (discovery, validation) that fails is tried again within the batch, alone, after a
 * growing pause; any other failure rolls the whole batch back and it comes again ({@link EventLogRollback}). Either
 * way a record whose own handling failed {@code maxAttempts} times is then dead-lettered with the last reason instead
 * of handled again, so it never stops its partition. Failures of the event log itself (the broker away) are not held against a record:
 * its batch is tried again until the broker is back. An event Kafka refuses for itself (too large, not authorized for
 * its topic: {@link BatchRecords#refusal}) is no outage: the batch rolls back (its transaction cannot commit) and
 * the record that caused the event is dead-lettered with the reason when it comes again, without being handled again.
 */
public final class EventLogConsumer implements Consumer<Message<List<byte[]>>>, AutoCloseable {

    public static final String CONSUMED = "mxshift.events.consumed";
    public static final String UNHANDLED = "mxshift.events.owned.unhandled";
    public static final String STALE = "mxshift.events.stale";
    public static final String HANDLING_FAILED = "mxshift.events.handling.failed";

    private static final Logger LOG = LoggerFactory.getLogger(EventLogConsumer.class);

    /**
     * The one service that dead-letters a malformed event whose next action no consuming service owns (paused, held,
     * stopped, terminal, or waiting for the operator; decision 0041): the push service, which already binds the state
     * of every event inside a plan's steps, where most of the operator's actions are. Without it such a record would be
     * passed over by every service (the projector skips it with a metric) and nobody could replay or inspect it.
     */
    static final ServiceRole UNOWNED_KEEPER = ServiceRole.DNS_PUSH;


    /**
     * Set when the service begins to stop ({@link #stopping()}: Spring's context closing, before it stops the binding or
     * closes any bean), so that no batch handled meanwhile commits.
     */
    private volatile boolean stopping;

    private final ServiceRole role;
    private final EventCodec codec;
    /** Registered once per type and ownership: looking a meter up for every event showed in profiles. */
    private final Map<String, Counter> consumedOwned = new ConcurrentHashMap<>();
    private final Map<String, Counter> consumedNotOwned = new ConcurrentHashMap<>();
    /** Whether a handler observes every event's carried state, so that it is decoded for events of other services too. */
    private final boolean statesObserved;
    private final List<OwnedEventHandler> handlers;
    /** What hears of every event and of the batch's outcome besides the handlers (timers, the wave gate). */
    private final List<PartitionLifecycle> lifecycles;
    private final List<BatchOutcomes> outcomes;
    private final MeterRegistry meters;
    /**
     * The latest event known per domain in this process's partitions. An event below it is overtaken (a later event
     * exists, so what it asked for was done or superseded); an event at it is a repeat (an inventory imported twice,
     * a redelivery) unless it is that very event and this process has not handled it yet: what is learnt when Kafka
     * gives this process partitions ({@link PartitionHandover}) names each domain's latest event, which a service that
     * was down, or new, or given another instance's partition, must still act on.
     */
    private final Map<String, Seen> latest = new ConcurrentHashMap<>();

    private record Seen(long sequence, java.util.UUID eventId, boolean handled) {
    }

    private final DeadLetters deadLetters;

    public EventLogConsumer(ServiceRole role, EventCodec codec, List<OwnedEventHandler> handlers, MeterRegistry meters) {
        this(role, codec, handlers, meters, null);
    }

    /** The partition components among {@code handlers}, for the shorter constructors. */
    private static List<PartitionLifecycle> lifecyclesOf(List<?> components) {
        return components.stream().filter(PartitionLifecycle.class::isInstance).map(PartitionLifecycle.class::cast).toList();
    }

    /** How many times a record's own handling may fail before it is dead-lettered (the binding's max-attempts). */
    private final int maxAttempts;
    /** Failed handlings per record (topic, partition, offset) since its last success; bounded, see {@link #failed}. */
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final EventAppender appender;
    private final java.util.concurrent.ExecutorService handlingPool;
    private final java.time.Duration retryPause;

    private record Failure(int attempts, RuntimeException last) {
    }

    /** Kafka refused an event a record caused: the reason its record is dead-lettered, so that its partition goes on. */
    public static final class RefusedByEventLog extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RefusedByEventLog(Throwable refusal) {
            super("Kafka refused an event this record caused (" + refusal.getClass().getSimpleName() + ": " + refusal.getMessage()
                    + "); dead-lettered so that its partition goes on", refusal);
        }
    }

    /**
     * The batch each consumer thread has in hand, not yet known to have committed (decision 0041). A listener
     * container's consumer thread runs a poll's listener, its commit and, if it failed, its after-rollback processor,
     * one batch at a time: the after-rollback processor ({@link #rolledBack(Map, Exception)}) finds the batch that rolled
     * back here, and the thread's next batch concludes the one before. Keyed by thread, not partition: a partition
     * moved to another consumer thread of this process (a thread that overran max.poll.interval.ms) may come there
     * from the same offset while the first thread still holds its batch, and each batch must hear its own outcome.
     */
    private final Map<Thread, BatchInHand> inHand = new ConcurrentHashMap<>();

    /** With {@code deadLetters}, records that cannot be decoded, or whose event the workflow refuses, are dead-lettered here. */
    public EventLogConsumer(ServiceRole role, EventCodec codec, List<OwnedEventHandler> handlers, MeterRegistry meters, DeadLetters deadLetters) {
        this(role, codec, handlers, lifecyclesOf(handlers), meters, deadLetters, 4, null, 1, java.time.Duration.ofSeconds(1));
    }

    /**
     * @param lifecycles        what keeps something per domain of this process's partitions and hears of every event
     * @param maxAttempts       failed handlings of one record before it is dead-lettered (the binding's max-attempts)
     * @param appender          appends the events handlings decide, in the batch's transaction; may be null only where no
     *                          handler decides events (a test of the bookkeeping): a decided event then fails its record
     * @param handlingsInFlight owned events of one batch handled at once, for handlers that allow it
     * @param retryPause        before a concurrent handling that failed is tried again within its batch (doubled each time)
     */
    public EventLogConsumer(ServiceRole role, EventCodec codec, List<OwnedEventHandler> handlers, List<PartitionLifecycle> lifecycles,
                            MeterRegistry meters, DeadLetters deadLetters, int maxAttempts, EventAppender appender, int handlingsInFlight, java.time.Duration retryPause) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-attempts of the event log's binding must be at least 1, got " + maxAttempts);
        }
        if (handlingsInFlight < 1 || handlingsInFlight > 1 && appender == null) {
            throw new IllegalArgumentException("mxshift.events.handlings-in-flight must be at least 1 (and needs an appender), got " + handlingsInFlight);
        }
        this.maxAttempts = maxAttempts;
        this.retryPause = java.util.Objects.requireNonNull(retryPause, "retryPause");
        this.appender = appender;
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        this.handlingPool = handlingsInFlight == 1 ? null : java.util.concurrent.Executors.newFixedThreadPool(handlingsInFlight, r -> {
            Thread t = new Thread(r, role.serviceName() + "-handling-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.deadLetters = deadLetters;
        this.role = role;
        this.codec = codec;
        this.handlers = List.copyOf(handlers);
        this.lifecycles = List.copyOf(lifecycles);
        this.outcomes = java.util.stream.Stream.concat(this.handlers.stream(), this.lifecycles.stream())
                .filter(BatchOutcomes.class::isInstance).map(BatchOutcomes.class::cast).distinct().toList();
        this.statesObserved = this.lifecycles.stream().anyMatch(PartitionLifecycle::observesStates);
        this.meters = meters;
    }

    /**
     * What is learnt when Kafka gives this process a domain's partition: its latest event, so that older events and
     * repeats are stale after a restart or a hand-over too, while that latest event itself is still acted on when it comes.
     */
    public void remember(String domain, long sequence, java.util.UUID eventId) {
        latest.merge(domain, new Seen(sequence, eventId, false), (a, b) -> a.sequence() >= b.sequence() ? a : b);
    }

    /**
     * A batch of these partitions did not commit, for {@code reason} (null: none given), as the container's
     * after-rollback processor says ({@link EventLogRollback}): what it taught this process (each domain's latest
     * event) is forgotten, as the records come again, here or at another instance, and must not then look like repeats.
     * A batch that throws forgets at once; one whose commit fails afterwards is forgotten here. The transaction manager
     * the binder uses runs without transaction synchronization, so a synchronization callback would never be called.
     *
     * <p>When Kafka refused an event as too large at the commit (a broker's refusal comes only then, naming no record),
     * the record whose event was the largest is dead-lettered when it comes again. That one was refused too, whichever
     * it was that Kafka named: each such rollback puts one record out of the way, so the partition goes on.
     */
    public void rolledBack(Map<org.apache.kafka.common.TopicPartition, Long> first, Exception reason) {
        // this thread's batch in hand, if it is the one that rolled back (no offset of the records contradicts it): a
        // rollback of a poll this consumer never saw is not its
        BatchInHand batch = inHand.get(Thread.currentThread());
        if (batch == null || !first.entrySet().stream().allMatch(start -> batch.mayStartAt(start.getKey(), start.getValue()))) {
            LOG.debug("a rollback from {} is not the batch in hand: nothing to forget", first);
            return;
        }
        inHand.remove(Thread.currentThread(), batch);
        rolledBack(batch);
        Throwable refusal = BatchRecords.refusal(reason);
        if (refusal == null || deadLetters == null || !BatchRecords.refusedForSize(refusal)) {
            return;
        }
        batch.largestUnlessPlaced().ifPresent(where -> refused(where, refusal));
    }

    /** Whoever caused the event Kafka refused is dead-lettered when its record comes again ({@link #prepare}). */
    private void refused(String where, Throwable refusal) {
        failures.put(where, new Failure(maxAttempts, new RefusedByEventLog(refusal)));
        LOG.warn("Kafka refused an event caused by the record at {} ({}); it is dead-lettered when its batch comes again", where, refusal.toString());
    }

    /** A batch did not commit: forget what it taught, and tell the components that count (once). */
    private void rolledBack(BatchInHand batch) {
        List<BatchOutcomes.Handled> handled = batch.rollBack();
        if (handled != null) {
            outcomes.forEach(o -> o.rolledBack(handled));
        }
    }

    /** Back to what was known of the domain before {@code now}, unless something newer came since. */
    private void forget(String domain, Seen before, Seen now) {
        if (before == null) {
            latest.remove(domain, now);
        } else {
            latest.replace(domain, now, before);
        }
    }

    /** An owned event about to be handled: the record, its event and action, and the handler that takes it. */
    private record Owned(Message<byte[]> message, String where, EventEnvelope event, NextAction next, OwnedEventHandler handler,
                         Seen before, Seen now) {
    }

    /** The outcome of a handling that ran concurrently: the events it decided, or what it threw. */
    private record Handled(Owned owned, List<EventEnvelope> decided, RuntimeException failure) {
    }

    /**
     * A poll's records, in partition order; they commit together, with the events they caused, or not at all. Owned
     * events whose handler only looks and appends ({@link OwnedEventHandler#concurrent()}: discovery, validation) are
     * handled up to {@code handlingsInFlight} (constructor) at a time, different domains at once; their events are appended
     * afterwards on this thread, in record order, inside the batch's transaction. Any other owned event is handled
     * in place, after the concurrent ones before it.
     */
    @Override
    public void accept(Message<List<byte[]>> batch) {
        Map<org.apache.kafka.common.TopicPartition, Long> first = BatchRecords.firstOffsets(batch);
        BatchInHand before = inHand.get(Thread.currentThread());
        if (before != null) {
            if (first.entrySet().stream().anyMatch(start -> before.startsAt(start.getKey(), start.getValue()))) {
                // the batch before comes again from its start: it did not commit, though no rollback was heard
                rolledBack(before);
            } else if (!before.rolledBack()) {
                // this thread polled again past the batch before, which was not rolled back: it committed
                List<BatchOutcomes.Handled> handled = before.handledEvents();
                outcomes.forEach(o -> o.committed(handled));
            }
        }
        BatchInHand current = new BatchInHand(first);
        inHand.put(Thread.currentThread(), current);
        try {
            accept(batch, current);
            if (stopping) {
                // A handling may have failed because the process is stopping ("Shutdown in progress" from a client
                // library): such an outcome must not be committed as the domain's; the batch goes to the next owner.
                throw new IllegalStateException("the service is stopping: its last batch is left uncommitted for the next owner of its partitions");
            }
        } catch (RuntimeException | Error e) {
            // The batch rolls back: what it taught about each domain's latest event is forgotten, so it is not stale
            // next time. It stays in hand for the after-rollback processor, which may yet place a refusal.
            try {
                rolledBack(current);
            } catch (RuntimeException bookkeeping) {
                // the batch's own failure stays the reason (the after-rollback processor reads a refusal from it)
                e.addSuppressed(bookkeeping);
            }
            throw e;
        }
    }

    private void accept(Message<List<byte[]>> batch, BatchInHand current) {
        List<byte[]> payloads = batch.getPayload();
        List<Owned> concurrent = new java.util.ArrayList<>();
        java.util.Set<String> concurrentDomains = new java.util.HashSet<>();
        for (int i = 0; i < payloads.size(); i++) {
            Read read = read(batch, i);
            if (read == null) {
                continue;
            }
            if (concurrentDomains.contains(read.header().domain())) {
                // the same domain again: its earlier event is handled first, as the log orders them
                handleAll(concurrent, current);
                concurrentDomains.clear();
            }
            Owned owned = prepare(batch, i, read, current);
            if (owned == null) {
                continue;
            }
            if (owned.handler().concurrent() && handlingPool != null) {
                concurrent.add(owned);
                concurrentDomains.add(read.header().domain());
            } else {
                handleAll(concurrent, current);
                concurrentDomains.clear();
                handle(owned, current);
            }
        }
        handleAll(concurrent, current);
    }

    /**
     * Everything but the handling, in log order: the envelope read, the stale check, the latest sequence, ownership,
     * for an event this service owns (or, in {@link #UNOWNED_KEEPER}, one no consuming service owns) the decoding of
     * the whole event, and only then {@code observe} (decision 0038, 0041): most events of the log are another
     * service's, and binding their payload and state was most of the CPU a service spent on them. A record whose
     * payload does not decode is never observed: a lifecycle that heard of it would act on an event the workflow never
     * takes (a waiting domain's timer cancelled by a poison record, then nothing to fire it). Returns the owned event
     * to handle, or null (not decodable and dead-lettered, stale, not owned, no handler, or dead-lettered after its
     * attempts).
     */
    private Owned prepare(Message<List<byte[]>> batch, int index, Read read, BatchInHand current) {
        EventHeader header = read.header();
        MigrationState state = read.state();
        EventEnvelope whole = read.whole();
        byte[] bytes = batch.getPayload().get(index);
        String domain = header.domain();
        Seen seen = latest.get(domain);
        if (seen != null && (header.sequence() < seen.sequence() || header.sequence() == seen.sequence()
                && (seen.handled() || !header.eventId().equals(seen.eventId())))) {
            Counter.builder(STALE).description("events at or below the latest sequence already seen for their domain, not acted on")
                    .tag("type", header.type()).register(meters).increment();
            LOG.info("{} #{} of {} is stale (#{} already seen); not acted on", header.type(), header.sequence(), domain, seen.sequence());
            return null;
        }
        Seen now = new Seen(header.sequence(), header.eventId(), true);
        latest.put(domain, now);
        current.onRollback(() -> forget(domain, seen, now));
        NextAction next = state == null ? null : Workflow.next(state);
        boolean owned = next != null && next.owner() == role;
        (owned ? consumedOwned : consumedNotOwned).computeIfAbsent(header.type(), type -> Counter.builder(CONSUMED)
                .description("events of migration.events read by this service")
                .tag("type", type).tag("owned", Boolean.toString(owned)).register(meters)).increment();
        // Whether this service answers for the event's payload: it owns the event, or nobody that consumes the log does.
        boolean answerable = owned || role == UNOWNED_KEEPER && next != null && !consumes(next.owner());
        if (whole == null && (answerable || keptByLifecycle(domain))) {
            try {
                whole = codec.decode(bytes, header, state != null ? state : codec.decodeCarriedState(bytes, header));
            } catch (dev.mxshift.model.serde.EventDecodingException e) {
                // Not the domain's event: its sequence is not taken (the event the workflow does take next, a timer's
                // say, has that sequence), and no lifecycle hears of it (a timer stays set).
                forget(domain, seen, now);
                if (!answerable) {
                    // another service dead-letters it
                    LOG.warn("{} #{} of {} does not decode ({}); not observed", header.type(), header.sequence(), domain, e.getMessage());
                    return null;
                }
                // Its own service (or the one that answers for what no service owns) finds it malformed: out of the
                // way, with the reason.
                deadLetter(batch, index, e);
                return null;
            }
        }
        for (PartitionLifecycle lifecycle : lifecycles) {
            lifecycle.observe(header, state);
        }
        if (!owned) {
            return null;
        }
        OwnedEventHandler handler = handlers.stream().filter(h -> h.handles(next)).findFirst().orElse(null);
        if (handler == null) {
            // The decision for this action belongs to a later change of this service; say so, loudly and countably.
            Counter.builder(UNHANDLED).description("owned events no handler of this service takes yet")
                    .tag("action", next.getClass().getSimpleName()).register(meters).increment();
            LOG.warn("{} owns {} for {} (event #{}), but has no handler for it yet",
                    role.serviceName(), next.getClass().getSimpleName(), domain, header.sequence());
            return null;
        }
        Message<byte[]> message = BatchRecords.record(batch, index);
        String where = BatchRecords.position(message);
        Failure failure = failures.get(where);
        if (failure != null && failure.attempts() >= maxAttempts && deadLetters != null) {
            // Its handling failed every time it was tried: out of the way, with the reason, so the partition goes on.
            deadLetters.send(message, failure.last());
            failures.remove(where);
            // not handled: a replay of the dead letter must be acted on, not taken for a repeat
            forget(domain, seen, now);
            return null;
        }
        return new Owned(message, where, whole, next, handler, seen, now);
    }

    /** Whether {@code owner} is one of the services that consume the log (not a person, not nobody). */
    private static boolean consumes(ServiceRole owner) {
        return owner != ServiceRole.OPERATOR && owner != ServiceRole.NOBODY;
    }

    /** Whether a lifecycle keeps something for {@code domain} (a timer set) that a poison record must not reach. */
    private boolean keptByLifecycle(String domain) {
        for (PartitionLifecycle lifecycle : lifecycles) {
            if (lifecycle.keeps(domain)) {
                return true;
            }
        }
        return false;
    }

    /** A record's envelope; its carried state if this service may own it or observes states; the whole event if written by an older build. */
    private record Read(EventHeader header, MigrationState state, EventEnvelope whole) {
    }

    /** The record read as far as this service needs before the stale check, or null when it does not decode (then it is dead-lettered). */
    private Read read(Message<List<byte[]>> batch, int index) {
        byte[] bytes = batch.getPayload().get(index);
        try {
            EventHeader header = codec.readHeader(bytes);
            if (header.schemaVersion() != codec.currentVersion()) {
                // written by an older build: upcast whole, as replaying an old log needs
                EventEnvelope whole = codec.decode(bytes);
                return new Read(header, whole.state(), whole);
            }
            boolean answerable = header.mayBeOwnedBy(role) || role == UNOWNED_KEEPER
                    && (header.mayBeOwnedBy(ServiceRole.OPERATOR) || header.mayBeOwnedBy(ServiceRole.NOBODY));
            if (!answerable && !statesObserved) {
                return new Read(header, null, null);
            }
            try {
                return new Read(header, codec.decodeCarriedState(bytes, header), null);
            } catch (dev.mxshift.model.serde.EventDecodingException e) {
                if (answerable) {
                    throw e;
                }
                // bound only to be observed: a service that may own it, or the keeper of the unowned, dead-letters it
                LOG.warn("the state of {} #{} of {} does not decode ({}); not observed", header.type(), header.sequence(),
                        header.domain(), e.getMessage());
                return null;
            }
        } catch (dev.mxshift.model.serde.EventDecodingException e) {
            deadLetter(batch, index, e);
            return null;
        }
    }

    /** A record that does not decode goes to the dead letters with the reason (or, without them, fails its batch). */
    private void deadLetter(Message<List<byte[]>> batch, int index, dev.mxshift.model.serde.EventDecodingException e) {
        if (deadLetters == null) {
            throw e;
        }
        deadLetters.send(BatchRecords.record(batch, index), e);
    }

    /** Handles an owned event on this thread and appends what it decided (joining the batch's transaction). */
    private void handle(Owned owned, BatchInHand current) {
        RuntimeException failure = null;
        try {
            append(owned.handler().handle(owned.event(), owned.next()), owned, current);
        } catch (RuntimeException e) {
            failure = e;
        }
        handled(owned, failure, current);
    }

    /**
     * Appends the events a handling decided, in order, inside the batch's transaction, noting each one's size against
     * its record (to find the record whose event Kafka refuses at the commit).
     */
    private void append(List<EventEnvelope> decided, Owned owned, BatchInHand current) {
        current.handled(owned.event(), decided);
        if (decided.isEmpty()) {
            return;
        }
        if (appender == null) {
            throw new IllegalStateException(role.serviceName() + " decided " + decided.size() + " event(s) but has no event appender");
        }
        for (EventEnvelope event : decided) {
            current.appended(owned.where(), appender.append(event));
        }
    }

    /**
     * Handles these owned events (different domains) concurrently, then, in record order on this thread, appends what
     * each decided, or deals with its failure; empties the list.
     *
     * <p>A handling that failed for its own sake (a lookup timed out, not the event log) is tried again on its
     * handling thread, alone, after a pause that doubles each time, up to {@code maxAttempts} in all, and then
     * dead-lettered with its last reason: rolling the batch back for it would handle every other record of the batch
     * again (dozens of DNSSEC validations and TLS handshakes for one timed-out lookup).
     */
    private void handleAll(List<Owned> owned, BatchInHand current) {
        if (owned.isEmpty()) {
            return;
        }
        List<java.util.concurrent.Future<Handled>> running = new java.util.ArrayList<>(owned.size());
        for (Owned o : owned) {
            running.add(handlingPool.submit(() -> handleRetrying(o)));
        }
        List<Handled> done = new java.util.ArrayList<>(owned.size());
        for (java.util.concurrent.Future<Handled> handling : running) {
            done.add(outcome(handling));
        }
        owned.clear();
        for (Handled handled : done) {
            if (handled.failure() == null) {
                try {
                    append(handled.decided(), handled.owned(), current);
                } catch (RuntimeException e) {
                    placeRefusal(handled.owned(), e, current);
                    throw e;
                }
                handled(handled.owned(), null, current);
            } else if (retriable(handled.failure())) {
                if (deadLetters == null) {
                    throw handled.failure();
                }
                // Its handling failed every time it was tried: out of the way, with the reason, so the partition goes on.
                Owned o = handled.owned();
                deadLetters.send(o.message(), handled.failure());
                failures.remove(o.where());
                // not handled: a replay of the dead letter must be acted on, not taken for a repeat
                forget(o.event().domain().value(), o.before(), o.now());
            } else {
                handled(handled.owned(), handled.failure(), current);
            }
        }
    }

    /**
     * One concurrent handling, on a handling thread, tried again after a pause while its failure is {@link #retriable}
     * and its record has failed fewer than {@code maxAttempts} times (counted with its failures in earlier deliveries of
     * its batch): Resilience4j's retry, the pause doubling from {@code retryPause}. What a failed attempt captured is
     * never appended; the outcome holds the last attempt's events or failure.
     */
    private Handled handleRetrying(Owned o) {
        Retry retry = Retry.of("handling", RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(retryPause, 2.0))
                .retryOnException(e -> e instanceof RuntimeException failure && retriable(failure)
                        && failed(o.where(), o.event(), failure) < maxAttempts)
                .build());
        try {
            return new Handled(o, retry.executeSupplier(() -> o.handler().handle(o.event(), o.next())), null);
        } catch (RuntimeException e) {
            return new Handled(o, List.of(), e);
        }
    }

    /** A failure worth trying again here: the handling's own, not a refused transition and not the event log's. */
    private boolean retriable(RuntimeException failure) {
        return failure != null && !(failure instanceof dev.mxshift.model.workflow.IllegalTransitionException)
                && !BatchRecords.isEventLogFailure(failure) && !stopping;
    }

    private static Handled outcome(java.util.concurrent.Future<Handled> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handling a batch of the event log", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a handling broke: " + e.getCause(), e.getCause());
        }
    }

    /** After a handling: forget its past failures, or dead-letter a refused event, or count the failure and roll back. */
    private void handled(Owned owned, RuntimeException failure, BatchInHand current) {
        if (failure == null) {
            failures.remove(owned.where());
        } else if (failure instanceof dev.mxshift.model.workflow.IllegalTransitionException e) {
            // The event's carried state does not allow what it asks for: a defect or a forged record, not a passing fault.
            if (deadLetters == null) {
                throw e;
            }
            deadLetters.send(owned.message(), e);
        } else if (placeRefusal(owned, failure, current)) {
            // The batch's transaction cannot commit after a refused send; the record is dead-lettered when it comes again.
            throw failure;
        } else {
            failed(owned.where(), owned.event(), failure);
            throw failure;
        }
    }

    /** When Kafka refused an event this record's handling sent (at once, as a producer does), mark the record for the dead letters. */
    private boolean placeRefusal(Owned owned, RuntimeException failure, BatchInHand current) {
        Throwable refusal = BatchRecords.refusal(failure);
        if (refusal == null || deadLetters == null) {
            return false;
        }
        current.refusalPlaced();
        refused(owned.where(), refusal);
        return true;
    }

    /**
     * Counts a failed handling against its record and returns its failures so far, unless the event log itself failed
     * (then 0: the batch is tried again until the broker is back, as nothing is wrong with the record). Past 10,000 counted records (mostly records whose
     * partition moved to another instance) the counts start again from nothing.
     */
    private int failed(String where, EventEnvelope event, RuntimeException e) {
        Counter.builder(HANDLING_FAILED).description("handlings that failed (tried again within their batch, or rolling it back), by event type")
                .tag("type", event.type()).register(meters).increment();
        if (BatchRecords.isEventLogFailure(e)) {
            LOG.warn("{} #{} of {}: the event log failed ({}); its batch is tried again", event.type(), event.sequence(), event.domain(), e.toString());
            return 0;
        }
        if (failures.size() > 10_000) {
            failures.clear();
        }
        Failure now = failures.merge(where, new Failure(1, e), (a, b) -> new Failure(a.attempts() + 1, b.last()));
        LOG.warn("{} #{} of {} failed (attempt {} of {}): {}", event.type(), event.sequence(), event.domain(), now.attempts(), maxAttempts, e.toString());
        return now.attempts();
    }

    /**
     * The service begins to stop: a batch still being handled is left uncommitted for the next owner of its partitions,
     * as a handling may have failed only because the process is stopping. Called when Spring's context begins to close
     * (the event-log configuration listens for it), before the binding stops and before {@link #close}.
     */
    public void stopping() {
        stopping = true;
    }

    /** Stops the handling threads (at shutdown; a batch still handling rolls back and comes again elsewhere). */
    @Override
    public void close() {
        stopping = true;
        if (handlingPool != null) {
            handlingPool.shutdownNow();
        }
    }
}
