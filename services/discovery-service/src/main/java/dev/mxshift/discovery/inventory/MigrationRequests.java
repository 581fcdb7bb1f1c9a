package dev.mxshift.discovery.inventory;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.Workflow;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * An accepted inventory row becomes the first event of its domain: "migration requested", sequence 1. Its event id
 * is derived from the domain, so importing the same domain twice writes the same event twice, which every consumer
 * recognises as a repeat of the event it has seen (same id, same sequence) rather than a second migration.
 */
public final class MigrationRequests {

    private MigrationRequests() {
    }

    public static EventEnvelope of(InventoryRow row, String requestedBy, Instant now) {
        return of(row, requestedBy, false, now);
    }

    /** With {@code hold}, the domain waits untouched until an operator starts it (by domain, tenant, wave or query). */
    public static EventEnvelope of(InventoryRow row, String requestedBy, boolean hold, Instant now) {
        MigrationRequested requested = new MigrationRequested(row.provider(), row.targetHost(), row.wave(), row.tags(), requestedBy, hold,
                row.unsignedZone());
        return Workflow.emit(MigrationState.initial(row.domain()), row.tenant(), requested, eventId(row), null, now,
                EventCodec.CURRENT_SCHEMA_VERSION);
    }

    static UUID eventId(InventoryRow row) {
        return UUID.nameUUIDFromBytes(("mxshift:migration-requested:" + row.domain().value()).getBytes(StandardCharsets.UTF_8));
    }
}
