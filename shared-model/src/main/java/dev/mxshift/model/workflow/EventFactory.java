package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.serde.EventCodec;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Makes the next event of a domain: a fresh id, the time from the clock it was given, the current schema version,
 * and the state after it, through {@link Workflow#emit} (so an illegal event throws
 * {@link IllegalTransitionException} here, before anything is written). The clock and the ids come in from outside,
 * which keeps the model free of wall-clock time and lets a test pin both.
 */
public final class EventFactory {

    private final Clock clock;
    private final Supplier<UUID> ids;

    /** Random event ids, time from {@code clock}. */
    public EventFactory(Clock clock) {
        this(clock, UUID::randomUUID);
    }

    public EventFactory(Clock clock, Supplier<UUID> ids) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /** The event after {@code state}, of the state's tenant, caused by {@code causationId} (null when nothing caused it). */
    public EventEnvelope next(MigrationState state, MigrationEvent payload, UUID causationId) {
        return Workflow.emit(state, state.tenant(), payload, ids.get(), causationId, clock.instant(),
                EventCodec.CURRENT_SCHEMA_VERSION);
    }

    /** A domain's first event, which gives it its tenant; nothing caused it. */
    public EventEnvelope requested(DomainName domain, TenantId tenant, MigrationRequested requested) {
        return Workflow.emit(MigrationState.initial(domain), tenant, requested, ids.get(), null, clock.instant(),
                EventCodec.CURRENT_SCHEMA_VERSION);
    }
}
