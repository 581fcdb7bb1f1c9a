package dev.mxshift.recordgeneration;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MigrationFailed;
import dev.mxshift.model.event.PlanGenerated;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.service.EventAppender;
import dev.mxshift.service.OwnedEventHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The record-generation service on the event log: a domain that passed preflight gets its staged plan (with the
 * rollback inside it) as its next event; a domain the planner holds (a plan nobody approved, a target Microsoft has
 * not assigned) fails with the reasons and what to do, so an operator can act and retry.
 */
public final class RecordGenerationHandler implements OwnedEventHandler {

    public static final String PLANS = "mxshift.record-generation.plans";

    private final Supplier<PlanOptions> options;
    private final EventAppender appender;
    private final Clock clock;
    private final MeterRegistry meters;

    /** {@code options} is asked for every decision, so approvals read from a file count at once. */
    public RecordGenerationHandler(Supplier<PlanOptions> options, EventAppender appender, Clock clock, MeterRegistry meters) {
        this.options = options;
        this.appender = appender;
        this.clock = clock;
        this.meters = meters;
    }

    @Override
    public boolean handles(NextAction action) {
        return action instanceof NextAction.GeneratePlan;
    }

    @Override
    public void handle(EventEnvelope event, NextAction action) {
        PlanDecision decision = PlanGenerator.decide(event.state(), options.get());
        MigrationEvent result = decision instanceof PlanDecision.Planned planned ? PlanGenerated.of(planned.plan())
                : new MigrationFailed("no plan: " + ((PlanDecision.Blocked) decision).reasons().stream()
                .map(RecordGenerationHandler::sentence).collect(Collectors.joining("; ")));
        appender.append(Workflow.emit(event.state(), event.tenant(), result, UUID.randomUUID(), event.eventId(), clock.instant(),
                EventCodec.CURRENT_SCHEMA_VERSION));
        Counter.builder(PLANS).description("plans generated or held").tag("outcome", result instanceof PlanGenerated ? "planned" : "held")
                .register(meters).increment();
    }

    private static String sentence(Finding finding) {
        return finding.code() + ": " + finding.message() + (finding.action().isEmpty() ? "" : " (to do: " + finding.action() + ")");
    }
}
