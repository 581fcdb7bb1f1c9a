package dev.mxshift.validation;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.service.DurableTimers;
import dev.mxshift.service.EventAppender;
import dev.mxshift.service.OwnedEventHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The validation service on the event log: preflight for a discovered domain, verification of each pushed step,
 * and the end of a plan whose steps are all verified; each result is the domain's next event, caused by the trigger,
 * which the runtime appends. A step not seen yet is checked again at a durable timer ({@link Reverification}, {@link DurableTimers}):
 * the re-check happens after any restart too, on time, once. A lookup that breaks (the resolver down) throws, so the
 * trigger is dead-lettered with the reason and can be replayed, rather than recorded as a verdict nobody checked.
 */
public final class ValidationHandler implements OwnedEventHandler, dev.mxshift.service.PartitionLifecycle, AutoCloseable {

    public static final String DECISIONS = "mxshift.validation.decisions";

    private final Validation validation;
    private final Reverification reverification;
    private final EventAppender appender;
    private final Clock clock;
    private final EventFactory events;
    private final MeterRegistry meters;
    private final DurableTimers rechecks;

    public ValidationHandler(Validation validation, Reverification reverification, EventAppender appender, Clock clock, MeterRegistry meters) {
        this.validation = validation;
        this.reverification = reverification;
        this.appender = appender;
        this.clock = clock;
        this.events = new EventFactory(clock);
        this.meters = meters;
        this.rechecks = new DurableTimers("verification-rechecks",
                state -> Workflow.next(state) instanceof NextAction.AwaitReverification r ? r.dueAt() : null,
                this::recheck, appender, clock, meters, "mxshift.validation.rechecks.pending", 2);
    }

    /** It looks (DNS, SMTP) and decides one event: handlings of different domains may run at once. */
    @Override
    public boolean concurrent() {
        return true;
    }

    @Override
    public boolean handles(NextAction action) {
        return action instanceof NextAction.RunPreflight || action instanceof NextAction.VerifyStep || action instanceof NextAction.Finish
                || action instanceof NextAction.AwaitReverification;
    }

    @Override
    public List<EventEnvelope> handle(EventEnvelope event, NextAction action) {
        if (action instanceof NextAction.AwaitReverification) {
            rechecks.set(event.state(), event.eventId());
            return List.of();
        }
        MigrationEvent result;
        try {
            if (action instanceof NextAction.RunPreflight) {
                result = validation.preflight(event.state());
            } else if (action instanceof NextAction.VerifyStep verify) {
                result = verify(event.state(), verify.direction(), verify.step(), verify.planStep());
            } else {
                result = Validation.finish(event.state(), ((NextAction.Finish) action).direction());
            }
        } catch (IOException e) {
            throw new IllegalStateException("validation of " + event.domain() + " could not look: " + e.getMessage(), e);
        }
        return List.of(emit(event.state(), result, event.eventId()));
    }

    @Override
    public void observe(dev.mxshift.model.serde.EventHeader event, MigrationState state) {
        rechecks.advance(event.domain(), event.sequence());
    }

    @Override
    public boolean keeps(String domain) {
        return rechecks.has(domain);
    }

    @Override
    public void recovered(MigrationState state) {
        rechecks.recovered(state);
    }

    @Override
    public void handoverStarted() {
        rechecks.hold();
    }

    @Override
    public void handoverEnded() {
        rechecks.unhold();
    }

    @Override
    public void released(Predicate<String> domains) {
        rechecks.release(domains);
    }

    /** The domains whose next check is set, for operators and tests. */
    public Set<String> pendingRechecks() {
        return rechecks.domains();
    }

    /** A due re-check: look again, and say what was seen (on a timer's thread; appended by the timers). */
    private EventEnvelope recheck(MigrationState state, UUID causation) throws IOException {
        NextAction.AwaitReverification due = (NextAction.AwaitReverification) Workflow.next(state);
        return emit(state, verify(state, due.direction(), due.step(), due.planStep()), causation);
    }

    private MigrationEvent verify(MigrationState state, dev.mxshift.model.event.Direction direction, int step, PlanStep planStep)
            throws IOException {
        if (planStep.dnssec()) {
            SigningVerification.Check check = validation.verifyDnssec(state, direction, step, planStep);
            // A broken signature or a wrong DS at the parent does not settle by waiting: the domain stops at once.
            return check.conclusive() ? check.event() : reverification.next(check.event(), state, planStep, clock.instant());
        }
        return reverification.next(validation.verify(state, direction, step, planStep), state, planStep, clock.instant());
    }

    private EventEnvelope emit(MigrationState state, MigrationEvent result, UUID causation) {
        EventEnvelope next = events.next(state, result, causation);
        Counter.builder(DECISIONS).description("validation decisions appended, by event type")
                .tag("type", dev.mxshift.model.event.EventType.of(result).wireName()).register(meters).increment();
        return next;
    }

    @Override
    public void close() {
        rechecks.close();
    }
}
