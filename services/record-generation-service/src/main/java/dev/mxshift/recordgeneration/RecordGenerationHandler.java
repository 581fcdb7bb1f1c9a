package dev.mxshift.recordgeneration;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MigrationFailed;
import dev.mxshift.model.event.PlanGenerated;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.service.EventAppender;
import dev.mxshift.service.OwnedEventHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The record-generation service on the event log: a domain that passed preflight gets its staged plan (with the
 * rollback inside it) as its next event; a domain the planner holds (a plan nobody approved, a target Microsoft has
 * not assigned) fails with the reasons and what to do, so an operator can act and retry. Before a plan, the wave gate
 * (per-wave and per-tenant limits, canary waves) must admit the domain; one it holds waits in the
 * {@link WaveGatekeeper} and is planned by {@link #recheck} once admitted (decision 0017).
 */
public final class RecordGenerationHandler implements OwnedEventHandler, dev.mxshift.service.PartitionLifecycle, dev.mxshift.service.BatchOutcomes {

    public static final String PLANS = "mxshift.record-generation.plans";

    private final Supplier<PlanOptions> options;
    private final EventAppender appender;
    private final EventFactory events;
    private final MeterRegistry meters;
    private final WaveGatekeeper gate;
    /** The domains of the partitions Kafka gives this process now (their events observed, or recovered at a hand-over). */
    private final java.util.Set<String> mine = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Without a wave gate: every ready domain is planned at once. */
    public RecordGenerationHandler(Supplier<PlanOptions> options, EventAppender appender, Clock clock, MeterRegistry meters) {
        this(options, appender, clock, meters, null);
    }

    /** {@code options} is asked for every decision, so approvals read from a file count at once. */
    public RecordGenerationHandler(Supplier<PlanOptions> options, EventAppender appender, Clock clock, MeterRegistry meters,
                                   WaveGatekeeper gate) {
        this.options = options;
        this.appender = appender;
        this.events = new EventFactory(clock);
        this.meters = meters;
        this.gate = gate;
        if (gate != null) {
            io.micrometer.core.instrument.Gauge.builder("mxshift.record-generation.wave-gate.waiting", gate, WaveGatekeeper::waitingCount)
                    .description("ready domains the wave gate holds (limits per wave and tenant, canary waves)").register(meters);
        }
    }

    @Override
    public boolean handles(NextAction action) {
        return action instanceof NextAction.GeneratePlan;
    }

    @Override
    public List<EventEnvelope> handle(EventEnvelope event, NextAction action) {
        if (gate != null && !gate.admit(event.state())) {
            Counter.builder(PLANS).description("plans generated or held").tag("outcome", "wave-gate").register(meters).increment();
            return List.of();
        }
        try {
            return List.of(plan(event.state(), event.eventId()));
        } catch (RuntimeException e) {
            release(event.state());
            throw e;
        }
    }

    /**
     * A batch rolled back: the domains it admitted (those whose handling decided a plan) wait again and no longer
     * count as changing, or their records, coming again, would be taken for domains already admitted and never
     * planned. An admission counts only if its batch commits. A domain the gate held in this batch is not released:
     * the re-check may have admitted and planned it since, and releasing that would plan it twice.
     */
    @Override
    public void rolledBack(List<Handled> handled) {
        handled.stream().filter(h -> !h.decided().isEmpty()).forEach(h -> release(h.event().state()));
    }

    private void release(MigrationState state) {
        if (gate != null) {
            gate.release(state);
        }
    }

    /** The domains of this process's partitions, as each event passes: the gate's freshest view of them. */
    @Override
    public void observe(dev.mxshift.model.serde.EventHeader event, MigrationState state) {
        if (gate != null) {
            mine.add(event.domain());
            gate.learn(state);
        }
    }

    /** Whether {@code domain} is of the partitions Kafka gives this process now. */
    boolean owns(dev.mxshift.model.dns.DomainName domain) {
        return mine.contains(domain.value());
    }

    /**
     * Kafka took these domains' partitions: another instance plans them now. This one's re-check must not, even those
     * it held itself, or both would append a plan (the same sequence twice in a domain's history).
     */
    @Override
    public void released(java.util.function.Predicate<String> domains) {
        mine.removeIf(domains);
    }

    /** The wave gate tallies every domain's status, so it needs every event's state; without a gate, none. */
    @Override
    public boolean observesStates() {
        return gate != null;
    }

    @Override
    public void recovered(MigrationState state) {
        if (gate != null) {
            mine.add(state.domain().value());
            gate.learn(state);
        }
    }

    /**
     * Plans the waiting domains the gate admits now (off the consumer thread: each append is a transaction of its
     * own). Returns how many were planned.
     */
    public int recheck() {
        if (gate == null) {
            return 0;
        }
        int planned = 0;
        // only the domains of this process's partitions: the gate sees every domain (its limits count them all), but a
        // domain of another instance's partitions is that instance's to plan, whatever this gate holds of it
        for (MigrationState state : gate.admitWaiting(this::owns)) {
            try {
                appender.append(plan(state, state.lastEventId()));
                planned++;
            } catch (RuntimeException e) {
                gate.release(state);
                LOG.warn("the plan of {} could not be appended ({}); it waits for the next check", state.domain(), e.getMessage());
            }
        }
        return planned;
    }

    /** The domain's plan (or why there is none) as its next event. */
    private EventEnvelope plan(MigrationState state, UUID causation) {
        MigrationEvent result = decision(state, options.get());
        EventEnvelope next = events.next(state, result, causation);
        Counter.builder(PLANS).description("plans generated or held").tag("outcome", result instanceof PlanGenerated ? "planned" : "held")
                .register(meters).increment();
        return next;
    }

    /** The service's decision for a ready domain: its plan, or why there is none (also what bench/dry-run composes). */
    public static MigrationEvent decision(MigrationState state, PlanOptions options) {
        PlanDecision decision = PlanGenerator.decide(state, options);
        return decision instanceof PlanDecision.Planned planned ? PlanGenerated.of(planned.plan())
                : new MigrationFailed("no plan: " + ((PlanDecision.Blocked) decision).reasons().stream()
                .map(RecordGenerationHandler::sentence).collect(Collectors.joining("; ")));
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecordGenerationHandler.class);

    private static String sentence(Finding finding) {
        return finding.code() + ": " + finding.message() + (finding.action().isEmpty() ? "" : " (to do: " + finding.action() + ")");
    }
}
