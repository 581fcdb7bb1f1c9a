package dev.mxshift.dnspush.timers;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.WaitElapsed;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.service.EventAppender;
import dev.mxshift.service.OwnedEventHandler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The durable timers of wait steps (wait out the old MX TTL): a domain whose next action is {@code AwaitTimer}
 * gets a timer that appends {@code WaitElapsed} at its due time. Durable because the state is: at start, the
 * service reads the compacted {@code migration.state} and sets a timer for every domain waiting there, so a timer
 * set before a stop or a crash fires after the restart (at once if it is overdue). A timer whose domain moved on
 * (paused, cancelled, rolled back) is dropped when the newer event passes by, and a timer fires only for the exact
 * state it was set for.
 *
 * <p>One process: every instance sets the timers of the states it reads at start; with several instances in the
 * group, the ownership of a timer by partition is the workflow issue's (8), as is appending in one transaction.
 */
public final class WaitTimers implements OwnedEventHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WaitTimers.class);

    private record Pending(MigrationState state, java.util.UUID causation, ScheduledFuture<?> future) {
    }

    private final EventAppender appender;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "wait-timers");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /**
     * The latest sequence known per domain, from the state topic at start and from every event since: an event
     * delivered again after a restart (its offset was not committed) must not set a timer for a state the domain
     * has already left, or the timer would fire a second time.
     */
    private final Map<String, Long> latestKnown = new ConcurrentHashMap<>();

    public WaitTimers(EventAppender appender, Clock clock, MeterRegistry meters) {
        this.appender = appender;
        this.clock = clock;
        Gauge.builder("mxshift.push.timers.pending", pending, Map::size).description("wait timers set and not yet fired").register(meters);
    }

    @Override
    public boolean handles(NextAction action) {
        return action instanceof NextAction.AwaitTimer;
    }

    @Override
    public void handle(EventEnvelope event, NextAction action) {
        set(event.state(), event.eventId());
    }

    /** A newer event of a waiting domain cancels its timer: the state it was set for is no longer the latest. */
    @Override
    public void observe(EventEnvelope event) {
        advance(event.domain().value(), event.sequence());
    }

    /** Records a domain's state as read from the state topic at start: the latest known, and its timer if it waits. */
    @Override
    public void recovered(MigrationState state) {
        advance(state.domain().value(), state.sequence());
        set(state, null);
    }

    private synchronized void advance(String domain, long sequence) {
        latestKnown.merge(domain, sequence, Math::max);
        Pending timer = pending.get(domain);
        if (timer != null && sequence > timer.state().sequence()) {
            cancel(domain, timer);
        }
    }

    /** Sets the timer of a state whose next action is {@code AwaitTimer} (from the event log or the state topic). */
    public synchronized void set(MigrationState state, UUID causation) {
        if (!(Workflow.next(state) instanceof NextAction.AwaitTimer timer)) {
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
        long delay = Math.max(0, Duration.between(clock.instant(), timer.dueAt()).toNanos());
        // Under this object's lock, so that a timer already due cannot fire before it is recorded.
        ScheduledFuture<?> future = scheduler.schedule(() -> fire(domain, state.sequence()), delay, TimeUnit.NANOSECONDS);
        Pending previous = pending.put(domain, new Pending(state, causation, future));
        if (previous != null) {
            previous.future().cancel(false);
        }
        LOG.info("wait timer of {} (step {}) due at {}", domain, state.stepIndex(), timer.dueAt());
    }

    public int size() {
        return pending.size();
    }

    /** The domains with a timer set, for operators and tests. */
    public java.util.Set<String> domains() {
        return java.util.Set.copyOf(pending.keySet());
    }

    private synchronized void fire(String domain, long sequence) {
        Pending timer = pending.get(domain);
        if (timer == null || timer.state().sequence() != sequence) {
            return;
        }
        MigrationState state = timer.state();
        // A scheduler may wake a little early; a wait never ends before its due time.
        long early = Duration.between(clock.instant(), state.waitDueAt()).toNanos();
        if (early > 0) {
            pending.put(domain, new Pending(state, timer.causation(),
                    scheduler.schedule(() -> fire(domain, sequence), early, TimeUnit.NANOSECONDS)));
            return;
        }
        try {
            EventEnvelope elapsed = Workflow.emit(state, state.tenant(), new WaitElapsed(state.direction(), state.stepIndex()), UUID.randomUUID(),
                    timer.causation() != null ? timer.causation() : state.lastEventId(), clock.instant(), EventCodec.CURRENT_SCHEMA_VERSION);
            appender.append(elapsed);
            pending.remove(domain, timer);
            // The domain has left the waiting state: the event that set this timer, delivered again, must not set another.
            latestKnown.merge(domain, elapsed.sequence(), Math::max);
        } catch (RuntimeException e) {
            // The broker did not take it: try again shortly; the timer stays until its event is in the log.
            LOG.warn("wait timer of {} could not append WaitElapsed ({}); trying again in 5 s", domain, e.getMessage());
            scheduler.schedule(() -> fire(domain, sequence), 5, TimeUnit.SECONDS);
        }
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
