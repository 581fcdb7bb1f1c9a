package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.MigrationState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Durable timers of one kind (a wait step's end, a verification's next check), one per domain: a state that awaits
 * one gets a timer that, at its due time, builds the domain's next event and appends it. Durable because the state
 * is: whenever Kafka gives a consumer partitions (at start, and when another instance stops or joins), the states of
 * their domains are handed here ({@link #recovered}, {@link PartitionHandover}), so a timer set before a stop or a
 * crash, here or in another instance, fires after it (at once if it is overdue). A timer whose domain moved on
 * (paused, cancelled, rolled back, or the event already appended) is dropped when the newer event passes by, and a
 * timer fires only for the exact state it was set for, once: the event it appends moves the domain on.
 *
 * <p>Timers follow partition ownership: when a partition is taken from this instance its domains' timers are
 * released ({@link #release}), and the new owner recovers them (decision 0014). While partitions are being handed
 * over ({@link #hold}) no timer fires: the hand-over gives older states before newer ones.
 */
public final class DurableTimers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableTimers.class);

    /** Builds the event a due timer appends; may look outside (DNS, SMTP) and throw if it cannot. */
    public interface Firing {
        EventEnvelope fire(MigrationState state, UUID causation) throws Exception;
    }

    private record Pending(MigrationState state, UUID causation, ScheduledFuture<?> future) {
    }

    private final String name;
    private final Function<MigrationState, Instant> dueAt;
    private final Firing firing;
    private final java.util.function.Consumer<EventEnvelope> appender;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /**
     * The latest sequence known per domain, from what was recovered when its partition was given and from every event since: an event
     * delivered again after a restart (its offset was not committed) must not set a timer for a state the domain
     * has already left, or the timer would fire a second time.
     */
    private final Map<String, Long> latestKnown = new ConcurrentHashMap<>();
    /**
     * Hand-overs in progress ({@link #hold}): while one is, no timer fires. A hand-over gives a domain's states oldest
     * first (the state topic, then the log's tail), so a timer recovered from the older state is overdue at once and,
     * fired then, appended a second event with a sequence the tail already held (seen in CI: {@code WaitTimerIT}).
     */
    private int holds;
    /** The timers that came due during a hold, by domain: the sequence of the state each was set for. */
    private final Map<String, Long> heldBack = new java.util.HashMap<>();

    /**
     * @param dueAt  when a state's timer of this kind is due, or null when the state awaits none
     * @param gauge  the name of the gauge of timers set and not yet fired
     */
    public DurableTimers(String name, Function<MigrationState, Instant> dueAt, Firing firing, EventAppender appender, Clock clock,
                         MeterRegistry meters, String gauge, int threads) {
        this(name, dueAt, firing, (java.util.function.Consumer<EventEnvelope>) appender::append, clock, meters, gauge, threads);
    }

    /** {@code append} puts a due timer's event in the log, or throws if the log did not take it. */
    public DurableTimers(String name, Function<MigrationState, Instant> dueAt, Firing firing, java.util.function.Consumer<EventEnvelope> append,
                         Clock clock, MeterRegistry meters, String gauge, int threads) {
        this(name, dueAt, firing, append, clock, ownScheduler(name, threads), meters, gauge);
    }

    /**
     * Timers that run on {@code scheduler}, which they own from here on ({@link #close} shuts it down); a test gives
     * one whose time it drives, with a {@code clock} that agrees with it.
     */
    public DurableTimers(String name, Function<MigrationState, Instant> dueAt, Firing firing, java.util.function.Consumer<EventEnvelope> append,
                         Clock clock, ScheduledExecutorService scheduler, MeterRegistry meters, String gauge) {
        this.name = name;
        this.dueAt = dueAt;
        this.firing = firing;
        this.appender = append;
        this.clock = clock;
        this.scheduler = scheduler;
        Gauge.builder(gauge, pending, Map::size).description(name + ": timers set and not yet fired").register(meters);
    }

    private static ScheduledExecutorService ownScheduler(String name, int threads) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    /** A newer event of a waiting domain cancels its timer: the state it was set for is no longer the latest. */
    public synchronized void advance(String domain, long sequence) {
        latestKnown.merge(domain, sequence, Math::max);
        Pending timer = pending.get(domain);
        if (timer != null && sequence > timer.state().sequence()) {
            cancel(domain, timer);
        }
    }

    /**
     * Drops the timers of the domains {@code domains} accepts (their partitions went to another instance, which
     * recovers them): a timer fires only in the instance that owns the domain's partition.
     */
    public synchronized void release(java.util.function.Predicate<String> domains) {
        pending.forEach((domain, timer) -> {
            if (domains.test(domain)) {
                cancel(domain, timer);
            }
        });
        latestKnown.keySet().removeIf(domains);
    }

    /**
     * A hand-over begins: until the matching {@link #unhold}, no timer fires, and one that comes due waits for it,
     * so that a later state of the same hand-over can still cancel a timer recovered from an older one.
     */
    public synchronized void hold() {
        holds++;
    }

    /** A hand-over ended: the timers that came due during it fire now, those still set for the latest state. */
    public synchronized void unhold() {
        if (holds == 0) {
            throw new IllegalStateException(name + ": unhold without hold");
        }
        if (--holds > 0) {
            return;
        }
        heldBack.forEach((domain, sequence) -> scheduler.schedule(() -> fire(domain, sequence), 0, TimeUnit.NANOSECONDS));
        heldBack.clear();
    }

    /** Records a domain's state as recovered when its partition is given: the latest known, and its timer if it waits. */
    public void recovered(MigrationState state) {
        advance(state.domain().value(), state.sequence());
        set(state, null);
    }

    /** Sets the timer of a state that awaits one of this kind (from the event log or the state topic). */
    public synchronized void set(MigrationState state, UUID causation) {
        Instant due = dueAt.apply(state);
        if (due == null) {
            return;
        }
        String domain = state.domain().value();
        if (state.sequence() < latestKnown.getOrDefault(domain, 0L)) {
            return;
        }
        Pending existing = pending.get(domain);
        if (existing != null && existing.state().sequence() >= state.sequence()) {
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), due).toNanos());
        // Under this object's lock, so that a timer already due cannot fire before it is recorded.
        ScheduledFuture<?> future = scheduler.schedule(() -> fire(domain, state.sequence()), delay, TimeUnit.NANOSECONDS);
        Pending previous = pending.put(domain, new Pending(state, causation, future));
        if (previous != null) {
            previous.future().cancel(false);
        }
        LOG.info("{}: timer of {} (step {}) due at {}", name, domain, state.stepIndex(), due);
    }

    public int size() {
        return pending.size();
    }

    /** Whether {@code domain} has a timer set. */
    public boolean has(String domain) {
        return pending.containsKey(domain);
    }

    /** The domains with a timer set, for operators and tests. */
    public Set<String> domains() {
        return Set.copyOf(pending.keySet());
    }

    private void fire(String domain, long sequence) {
        Pending timer;
        synchronized (this) {
            timer = pending.get(domain);
            if (timer == null || timer.state().sequence() != sequence) {
                return;
            }
            if (holds > 0) {
                heldBack.put(domain, sequence);
                return;
            }
            // A scheduler may wake a little early; a timer never fires before its due time.
            long early = Duration.between(clock.instant(), dueAt.apply(timer.state())).toNanos();
            if (early > 0) {
                pending.put(domain, new Pending(timer.state(), timer.causation(),
                        scheduler.schedule(() -> fire(domain, sequence), early, TimeUnit.NANOSECONDS)));
                return;
            }
        }
        EventEnvelope event;
        try {
            // Outside the lock: building the event may look at DNS or SMTP, and other timers must not wait for it.
            event = firing.fire(timer.state(), timer.causation() != null ? timer.causation() : timer.state().lastEventId());
        } catch (Exception e) {
            retryLater(domain, sequence, "could not build its event (" + e.getMessage() + ")");
            return;
        }
        synchronized (this) {
            if (pending.get(domain) != timer) {
                return; // the domain moved on meanwhile: the event would be stale
            }
            if (holds > 0) {
                heldBack.put(domain, sequence); // a hand-over began meanwhile: it may yet show a newer state
                return;
            }
            try {
                appender.accept(event);
                pending.remove(domain, timer);
                // The domain has left the waiting state: the event that set this timer, delivered again, must not set another.
                latestKnown.merge(domain, event.sequence(), Math::max);
            } catch (RuntimeException e) {
                retryLater(domain, sequence, "could not append " + event.type() + " (" + e.getMessage() + ")");
            }
        }
    }

    /** The timer stays until its event is in the log: the broker away, a lookup that broke. */
    private void retryLater(String domain, long sequence, String why) {
        LOG.warn("{}: the timer of {} {}; trying again in 5 s", name, domain, why);
        scheduler.schedule(() -> fire(domain, sequence), 5, TimeUnit.SECONDS);
    }

    private synchronized void cancel(String domain, Pending timer) {
        if (pending.remove(domain, timer)) {
            timer.future().cancel(false);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
