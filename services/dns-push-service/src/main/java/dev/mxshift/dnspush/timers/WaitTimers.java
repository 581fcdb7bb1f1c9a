package dev.mxshift.dnspush.timers;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.WaitElapsed;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.service.DurableTimers;
import dev.mxshift.service.EventAppender;
import dev.mxshift.service.OwnedEventHandler;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The durable timers of wait steps (wait out the old MX TTL): a domain whose next action is {@code AwaitTimer}
 * gets a timer that appends {@code WaitElapsed} at its due time, after any restart too ({@link DurableTimers},
 * decision 0014).
 */
public final class WaitTimers implements OwnedEventHandler, dev.mxshift.service.PartitionLifecycle, AutoCloseable {

    private final DurableTimers timers;

    public WaitTimers(EventAppender appender, Clock clock, MeterRegistry meters) {
        EventFactory events = new EventFactory(clock);
        this.timers = new DurableTimers("wait-timers",
                state -> Workflow.next(state) instanceof NextAction.AwaitTimer timer ? timer.dueAt() : null,
                (state, causation) -> events.next(state, new WaitElapsed(state.direction(), state.stepIndex()), causation),
                appender, clock, meters, "mxshift.push.timers.pending", 1);
    }

    @Override
    public boolean handles(NextAction action) {
        return action instanceof NextAction.AwaitTimer;
    }

    @Override
    public List<EventEnvelope> handle(EventEnvelope event, NextAction action) {
        timers.set(event.state(), event.eventId());
        return List.of(); // the timer appends WaitElapsed when it fires
    }

    @Override
    public void observe(dev.mxshift.model.serde.EventHeader event, MigrationState state) {
        timers.advance(event.domain(), event.sequence());
    }

    @Override
    public boolean keeps(String domain) {
        return timers.has(domain);
    }

    @Override
    public void recovered(MigrationState state) {
        timers.recovered(state);
    }

    @Override
    public void handoverStarted() {
        timers.hold();
    }

    @Override
    public void handoverEnded() {
        timers.unhold();
    }

    @Override
    public void released(Predicate<String> domains) {
        timers.release(domains);
    }

    /** Sets the timer of a state whose next action is {@code AwaitTimer}. */
    public void set(MigrationState state, UUID causation) {
        timers.set(state, causation);
    }

    public int size() {
        return timers.size();
    }

    /** The domains with a timer set, for operators and tests. */
    public Set<String> domains() {
        return timers.domains();
    }

    @Override
    public void close() {
        timers.close();
    }
}
