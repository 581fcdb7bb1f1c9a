package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.WaitElapsed;
import dev.mxshift.model.event.WaitScheduled;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timers' hold during a partition hand-over: a hand-over gives a domain's states oldest first, so a timer
 * recovered from the older one is overdue and must wait until the hand-over has shown the newer state (which
 * cancels it) or ended without one (then it fires, once).
 */
class DurableTimersTest {

    private final List<EventEnvelope> appended = new CopyOnWriteArrayList<>();
    /** Time moves only when a test moves it, so "nothing fired" means the timer came due and did not fire. */
    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-12-01T10:00:00Z"));
    private final DurableTimers timers = new DurableTimers("test-timers",
            state -> Workflow.next(state) instanceof NextAction.AwaitTimer timer ? timer.dueAt() : null,
            (state, causation) -> Workflow.emit(state, state.tenant(), new WaitElapsed(state.direction(), state.stepIndex()),
                    UUID.randomUUID(), causation, scheduler.clock().instant(), EventCodec.CURRENT_SCHEMA_VERSION),
            appended::add, scheduler.clock(), scheduler, new SimpleMeterRegistry(), "test.timers.pending");

    @AfterEach
    void close() {
        timers.close();
    }

    @Test
    void anOverdueTimerRecoveredDuringAHandOverIsCancelledByTheNewerStateOfTheSameHandOver() {
        DomainHistory history = overdue("moved-on.example");
        MigrationState waiting = history.state();
        EventEnvelope elapsedElsewhere = history.add(new WaitElapsed(waiting.direction(), waiting.stepIndex()));

        timers.hold();
        timers.recovered(waiting);            // from the state topic: not yet projected past the wait
        assertThat(scheduler.runDue()).as("the overdue timer came due").isEqualTo(1);
        assertThat(appended).as("nothing fires during a hand-over").isEmpty();
        timers.recovered(elapsedElsewhere.state()); // from the log's tail: the wait already ended before the stop
        timers.unhold();
        scheduler.advance(Duration.ofHours(1)); // whatever the hand-over held back has run by now

        assertThat(appended).as("the newer state of the hand-over cancelled the timer").isEmpty();
        assertThat(timers.domains()).isEmpty();
    }

    @Test
    void anOverdueTimerHeldBackByAHandOverFiresOnceWhenItEnds() {
        MigrationState waiting = overdue("still-waiting.example").state();

        timers.hold();
        timers.hold();                        // two consumers of one process handed partitions at once
        timers.recovered(waiting);
        assertThat(scheduler.runDue()).as("the overdue timer came due").isEqualTo(1);
        timers.unhold();
        scheduler.advance(Duration.ofHours(1));
        assertThat(appended).as("held while any hand-over is in progress").isEmpty();
        timers.unhold();
        scheduler.runDue();

        assertThat(appended).hasSize(1);
        assertThat(appended.get(0).payload()).isInstanceOf(WaitElapsed.class);
        assertThat(appended.get(0).sequence()).isEqualTo(waiting.sequence() + 1);
        scheduler.advance(Duration.ofHours(1));
        assertThat(appended).as("fired once").hasSize(1);
        timers.recovered(waiting);            // the same old state again (a later hand-over): not a second firing
        scheduler.advance(Duration.ofHours(1));
        assertThat(appended).hasSize(1);
        assertThat(timers.domains()).isEmpty();
    }

    @Test
    void anUnmatchedUnholdIsABug() {
        org.assertj.core.api.Assertions.assertThatThrownBy(timers::unhold).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unhold without hold");
    }

    private DomainHistory overdue(String domain) {
        DomainHistory history = DomainHistory.of(DomainName.of(domain));
        while (!(Workflow.next(history.state()) instanceof NextAction.ScheduleWait)) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        NextAction.ScheduleWait wait = (NextAction.ScheduleWait) Workflow.next(history.state());
        history.add(new WaitScheduled(wait.direction(), wait.step(), scheduler.clock().instant().minusSeconds(60)));
        return history;
    }
}
