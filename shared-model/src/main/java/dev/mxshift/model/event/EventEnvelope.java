package dev.mxshift.model.event;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.workflow.MigrationState;

import java.time.Instant;
import java.util.UUID;

/**
 * One record of {@code migration.events}: who and what, where it sits in the domain's history, what caused it,
 * and the domain's workflow state after it.
 *
 * @param domain        the Kafka key: every event of a domain lands in one partition, in order
 * @param sequence      gap-free per domain, starting at 1
 * @param causationId   the event this one reacts to; null for events a person or an import started
 * @param schemaVersion the wire schema the event was written with (see {@code EventCodec})
 * @param state         the domain's workflow state after this event (event-carried state)
 * @param actor         who asked for it, where a person or a token did (the audit trail); null for a service's own events
 */
public record EventEnvelope(UUID eventId, DomainName domain, TenantId tenant, long sequence, UUID causationId,
                            Instant occurredAt, int schemaVersion, MigrationEvent payload, MigrationState state, Actor actor) {

    /** An event no person or token asked for: a service's own. */
    public EventEnvelope(UUID eventId, DomainName domain, TenantId tenant, long sequence, UUID causationId,
                         Instant occurredAt, int schemaVersion, MigrationEvent payload, MigrationState state) {
        this(eventId, domain, tenant, sequence, causationId, occurredAt, schemaVersion, payload, state, null);
    }

    public EventEnvelope {
        Checks.required(eventId, "EventEnvelope", "eventId");
        Checks.required(domain, "EventEnvelope", "domain");
        Checks.required(tenant, "EventEnvelope", "tenant");
        Checks.required(occurredAt, "EventEnvelope", "occurredAt");
        Checks.required(payload, "EventEnvelope", "payload");
        Checks.required(state, "EventEnvelope", "state");
        if (sequence < 1) {
            throw new IllegalArgumentException("event sequence starts at 1, got " + sequence);
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schema version starts at 1, got " + schemaVersion);
        }
    }

    /** The same event, recorded as asked for by {@code who}. */
    public EventEnvelope causedBy(Actor who) {
        return new EventEnvelope(eventId, domain, tenant, sequence, causationId, occurredAt, schemaVersion, payload, state, who);
    }

    /** The wire name of the payload's type. */
    public String type() {
        return EventType.of(payload).wireName();
    }
}
