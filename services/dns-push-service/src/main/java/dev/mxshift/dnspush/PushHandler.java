package dev.mxshift.dnspush;

import dev.mxshift.connector.DnsConnector;
import dev.mxshift.dnspush.engine.ChangeEngine;
import dev.mxshift.dnspush.engine.PushOutcome;
import dev.mxshift.model.event.ApplyFailureKind;
import dev.mxshift.model.event.AwaitingExternalAction;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.EventType;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.event.WaitScheduled;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.service.OwnedEventHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The push service on the event log: applies a plan step at the domain's provider through the change engine
 * (compare-and-set; a target already in place is a success without a write), sets the durable timer of a wait step
 * (as a {@code WaitScheduled} event), and announces a Microsoft-side action with exactly what to run; each result is
 * the domain's next event, which the runtime appends. The timer's firing is {@code WaitTimers}'.
 */
public final class PushHandler implements OwnedEventHandler {

    public static final String PUSHES = "mxshift.push.outcomes";

    private final Map<String, ? extends DnsConnector> connectors;
    private final dev.mxshift.dnspush.engine.ConnectorGrants grants;
    private final dev.mxshift.dnspush.engine.ZoneChangeBudget budget = dev.mxshift.dnspush.engine.ZoneChangeBudget.defaults();
    private final Clock clock;
    private final EventFactory events;
    private final MeterRegistry meters;

    private final boolean dryRun;
    private final long waitCompression;
    private final DnssecSteps dnssec;


    /**
     * With {@code dryRun}, a write step is read and compared at the provider and what would be written is logged and
     * counted ({@code mxshift.push.outcomes{type="WouldApply"}}), but nothing is written and no event is appended: the
     * domain stays where it is until the service runs for real.
     */
    /**
     * {@code waitCompression} divides every wait (1 in production): the lab and the demo wait 3.6 s for a 3,600 s TTL.
     * The plan keeps the real duration; the event records the compressed due time.
     */
    public PushHandler(Map<String, ? extends DnsConnector> connectors, dev.mxshift.dnspush.engine.ConnectorGrants grants,
                       Clock clock, MeterRegistry meters, boolean dryRun, long waitCompression) {
        this(connectors, grants, clock, meters, dryRun, waitCompression, Map.of());
    }

    /** @param registrars the registrar systems of the DNSSEC stage's {@code webhook} and {@code epp} paths, by parent zone ({@code *}: any) */
    public PushHandler(Map<String, ? extends DnsConnector> connectors, dev.mxshift.dnspush.engine.ConnectorGrants grants,
                       Clock clock, MeterRegistry meters, boolean dryRun, long waitCompression,
                       Map<String, ? extends dev.mxshift.connector.parent.ParentChannel> registrars) {
        this(connectors, grants, clock, meters, dryRun, waitCompression, registrars,
                new dev.mxshift.dnspush.parent.DsbootSignals(java.util.List.of()));
    }

    /** @param signals the DNS operator's signalling zones, for RFC 9615 signals on the {@code cds} path */
    public PushHandler(Map<String, ? extends DnsConnector> connectors, dev.mxshift.dnspush.engine.ConnectorGrants grants,
                       Clock clock, MeterRegistry meters, boolean dryRun, long waitCompression,
                       Map<String, ? extends dev.mxshift.connector.parent.ParentChannel> registrars,
                       dev.mxshift.dnspush.parent.DsbootSignals signals) {
        this.dnssec = new DnssecSteps(registrars, signals);
        if (waitCompression < 1) {
            throw new IllegalArgumentException("mxshift.push.wait-compression must be at least 1 (no compression), got " + waitCompression);
        }
        this.waitCompression = waitCompression;
        this.dryRun = dryRun;
        this.connectors = Map.copyOf(connectors);
        this.grants = grants;
        this.clock = clock;
        this.events = new EventFactory(clock);
        this.meters = meters;
    }

    @Override
    public boolean handles(NextAction action) {
        return action instanceof NextAction.ApplyStep || action instanceof NextAction.ScheduleWait
                || action instanceof NextAction.RequestExternalAction;
    }

    @Override
    public List<EventEnvelope> handle(EventEnvelope event, NextAction action) {
        if (dryRun) {
            dryRun(event, action);
            return List.of();
        }
        removeActedUponSignals(event, action);
        MigrationEvent result;
        if (action instanceof NextAction.ApplyStep apply) {
            result = apply(event, apply);
        } else if (action instanceof NextAction.ScheduleWait wait) {
            result = new WaitScheduled(wait.direction(), wait.step(), clock.instant().plusMillis(wait.seconds() * 1000 / waitCompression));
        } else {
            NextAction.RequestExternalAction request = (NextAction.RequestExternalAction) action;
            PlanStep.External step = (PlanStep.External) event.state().activeSteps().get(request.step());
            result = new AwaitingExternalAction(request.direction(), request.step(), request.action(),
                    request.action().cmdlet() + " -DomainName " + event.domain().value()
                            + (step.detail() == null || step.detail().isBlank() ? "" : "\n" + step.detail())
                            + "\nthen confirm: ./mxshift confirm " + event.domain().value());
        }
        EventEnvelope next = events.next(event.state(), result, event.eventId());
        Counter.builder(PUSHES).description("push results, by event type and connector")
                .tag("type", EventType.of(result).wireName())
                .tag("connector", event.state().provider() == null ? "none" : event.state().provider().connectorId())
                .register(meters).increment();
        return List.of(next);
    }

    private void dryRun(EventEnvelope event, NextAction action) {
        String outcome = "nothing to write";
        if (action instanceof NextAction.ApplyStep && grants.refusal(event.state().provider().connectorId(), event.tenant()).isPresent()) {
            outcome = grants.refusal(event.state().provider().connectorId(), event.tenant()).get();
        } else if (action instanceof NextAction.ApplyStep apply && apply.planStep().dnssec()) {
            outcome = "would " + apply.planStep().describe();
        } else if (action instanceof NextAction.ApplyStep apply && connectors.get(event.state().provider().connectorId()) != null) {
            PushOutcome would = ChangeEngine.push(connectors.get(event.state().provider().connectorId()),
                    StepChanges.change(event.state().provider(), apply.planStep()), true);
            outcome = would.toString();
        }
        LOG.info("dry run: {} step {} of {}: {}", action.getClass().getSimpleName(), event.state().stepIndex(), event.domain(), outcome);
        Counter.builder(PUSHES).description("push results, by event type and connector").tag("type", "WouldApply")
                .tag("connector", event.state().provider() == null ? "none" : event.state().provider().connectorId())
                .register(meters).increment();
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PushHandler.class);

    /** The first action after a DS the {@code cds} path got published was verified: its RFC 9615 signals have served. */
    private void removeActedUponSignals(EventEnvelope event, NextAction action) {
        DnsConnector connector = event.state().provider() == null ? null : connectors.get(event.state().provider().connectorId());
        if (connector == null || grants.refusal(event.state().provider().connectorId(), event.tenant()).isPresent()) {
            return;
        }
        int step;
        dev.mxshift.model.event.Direction direction;
        if (action instanceof NextAction.ApplyStep apply) {
            step = apply.step();
            direction = apply.direction();
        } else if (action instanceof NextAction.ScheduleWait wait) {
            step = wait.step();
            direction = wait.direction();
        } else {
            NextAction.RequestExternalAction request = (NextAction.RequestExternalAction) action;
            step = request.step();
            direction = request.direction();
        }
        dnssec.removeActedUponSignals(event.state(), direction, step, connector)
                .ifPresent(outcome -> LOG.info("{} is chained; {}", event.domain(), outcome));
    }

    private MigrationEvent apply(EventEnvelope event, NextAction.ApplyStep apply) {
        String connectorId = event.state().provider().connectorId();
        DnsConnector connector = connectors.get(connectorId);
        if (connector == null) {
            return new StepApplyFailed(apply.direction(), apply.step(), ApplyFailureKind.PERMANENT, "no connector named '"
                    + connectorId + "' is configured (mxshift.push.connectors); configured: " + connectors.keySet(), null);
        }
        // Defence in depth (decision 0021): whatever the event says, a connector writes only for the tenants it is granted to.
        java.util.Optional<String> refused = grants.refusal(connectorId, event.tenant());
        if (refused.isPresent()) {
            return new StepApplyFailed(apply.direction(), apply.step(), ApplyFailureKind.PERMANENT, refused.get(), null);
        }
        if (apply.planStep().dnssec()) {
            return dnssec.apply(event.state(), apply, connector);
        }
        PushOutcome outcome = ChangeEngine.push(connector, StepChanges.change(event.state().provider(), apply.planStep()), false, budget);
        return StepChanges.event(apply.direction(), apply.step(), outcome);
    }
}
