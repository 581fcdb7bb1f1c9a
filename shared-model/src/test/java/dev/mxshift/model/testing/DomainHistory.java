package dev.mxshift.model.testing;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.Workflow;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A domain's event history built through {@link Workflow#emit}, with ids and times derived from the sequence so
 * that the same history is byte-for-byte the same every run. Each event's causation is the event before it.
 */
public final class DomainHistory {

    public static final Instant EPOCH = Instant.parse("2026-11-01T09:00:00Z");

    private final TenantId tenant;
    private final List<EventEnvelope> events = new ArrayList<>();
    private MigrationState state;

    public DomainHistory(DomainName domain, TenantId tenant) {
        this.tenant = tenant;
        this.state = MigrationState.initial(domain);
    }

    public static DomainHistory of(DomainName domain) {
        return new DomainHistory(domain, Fixtures.TENANT);
    }

    /** Emits the event, or throws the workflow's {@code IllegalTransitionException} and keeps the state as it was. */
    public EventEnvelope add(MigrationEvent payload) {
        long sequence = state.sequence() + 1;
        EventEnvelope event = Workflow.emit(state, tenant, payload, idOf(state.domain(), sequence),
                state.lastEventId(), EPOCH.plusSeconds(60 * sequence), EventCodec.CURRENT_SCHEMA_VERSION);
        events.add(event);
        state = event.state();
        return event;
    }

    public DomainHistory addAll(MigrationEvent... payloads) {
        for (MigrationEvent payload : payloads) {
            add(payload);
        }
        return this;
    }

    public MigrationState state() {
        return state;
    }

    public List<EventEnvelope> events() {
        return List.copyOf(events);
    }

    public EventEnvelope last() {
        return events.get(events.size() - 1);
    }

    public static UUID idOf(DomainName domain, long sequence) {
        return UUID.nameUUIDFromBytes((domain + "#" + sequence).getBytes(StandardCharsets.UTF_8));
    }
}
