package dev.mxshift.validation;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.service.EventAppender;
import dev.mxshift.service.OwnedEventHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.time.Clock;
import java.util.UUID;

/**
 * The validation service on the event log: preflight for a discovered domain, verification of each pushed step,
 * and the end of a plan whose steps are all verified; each result appended as the domain's next event, caused by
 * the trigger. A lookup that breaks (the resolver down) throws, so the trigger is dead-lettered with the reason
 * and can be replayed, rather than recorded as a verdict nobody checked.
 */
public final class ValidationHandler implements OwnedEventHandler {

    public static final String DECISIONS = "mxshift.validation.decisions";

    private final Validation validation;
    private final EventAppender appender;
    private final Clock clock;
    private final MeterRegistry meters;

    public ValidationHandler(Validation validation, EventAppender appender, Clock clock, MeterRegistry meters) {
        this.validation = validation;
        this.appender = appender;
        this.clock = clock;
        this.meters = meters;
    }

    @Override
    public boolean handles(NextAction action) {
        return action instanceof NextAction.RunPreflight || action instanceof NextAction.VerifyStep || action instanceof NextAction.Finish;
    }

    @Override
    public void handle(EventEnvelope event, NextAction action) {
        MigrationEvent result;
        try {
            if (action instanceof NextAction.RunPreflight) {
                result = validation.preflight(event.state());
            } else if (action instanceof NextAction.VerifyStep verify) {
                result = validation.verify(event.state(), verify);
            } else {
                result = Validation.finish(event.state(), ((NextAction.Finish) action).direction());
            }
        } catch (IOException e) {
            throw new IllegalStateException("validation of " + event.domain() + " could not look: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while validating " + event.domain(), e);
        }
        appender.append(Workflow.emit(event.state(), event.tenant(), result, UUID.randomUUID(), event.eventId(), clock.instant(),
                EventCodec.CURRENT_SCHEMA_VERSION));
        Counter.builder(DECISIONS).description("validation decisions appended, by event type")
                .tag("type", dev.mxshift.model.event.EventType.of(result).wireName()).register(meters).increment();
    }
}
