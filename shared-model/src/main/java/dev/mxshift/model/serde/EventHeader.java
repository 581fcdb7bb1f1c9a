package dev.mxshift.model.serde;

import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;

import java.util.UUID;

/**
 * What a service reads of every record of the event log before it knows whether the event is its own: the envelope's
 * identity and the three fields of the carried state that say who may act next, without binding the payload or the
 * state ({@link EventCodec#readHeader}). Most events of the log belong to another service, so this is all that is read
 * of them (decision 0038). It also knows where the record's state, payload and actor lie, so that
 * {@link EventCodec#decodeCarriedState} and {@link EventCodec#decode(byte[], EventHeader, dev.mxshift.model.workflow.MigrationState)}
 * bind only those bytes.
 */
public final class EventHeader {

    private final UUID eventId;
    private final String domain;
    private final long sequence;
    private final String type;
    private final int schemaVersion;
    private final WorkflowStatus status;
    private final boolean paused;
    private final boolean held;
    /** The rest of the envelope as written, bound only for an event this service owns. */
    final String tenant;
    final String causationId;
    final String occurredAt;
    /** Byte ranges of the state, payload and actor values in the record ({@code [start, end)}; start -1: absent). */
    final int stateStart;
    final int stateEnd;
    final int payloadStart;
    final int payloadEnd;
    final int actorStart;
    final int actorEnd;

    EventHeader(UUID eventId, String domain, long sequence, String type, int schemaVersion, WorkflowStatus status, boolean paused,
                boolean held, String tenant, String causationId, String occurredAt, int stateStart, int stateEnd, int payloadStart,
                int payloadEnd, int actorStart, int actorEnd) {
        this.eventId = eventId;
        this.domain = domain;
        this.sequence = sequence;
        this.type = type;
        this.schemaVersion = schemaVersion;
        this.status = status;
        this.paused = paused;
        this.held = held;
        this.tenant = tenant;
        this.causationId = causationId;
        this.occurredAt = occurredAt;
        this.stateStart = stateStart;
        this.stateEnd = stateEnd;
        this.payloadStart = payloadStart;
        this.payloadEnd = payloadEnd;
        this.actorStart = actorStart;
        this.actorEnd = actorEnd;
    }

    public UUID eventId() {
        return eventId;
    }

    /** The domain as written (the canonical name, as the codec writes it). */
    public String domain() {
        return domain;
    }

    public long sequence() {
        return sequence;
    }

    /** The event type's wire name. */
    public String type() {
        return type;
    }

    /** As written; below the codec's current version the record must be decoded whole (upcast). */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** The carried state's status. */
    public WorkflowStatus status() {
        return status;
    }

    public boolean paused() {
        return paused;
    }

    public boolean held() {
        return held;
    }

    /** Whether {@code role} can own the next action of this event's state (see {@link Workflow#mayOwn}). */
    public boolean mayBeOwnedBy(ServiceRole role) {
        return Workflow.mayOwn(role, status, paused, held);
    }

    @Override
    public String toString() {
        return type + " #" + sequence + " of " + domain + " (" + status + (paused ? ", paused" : "") + (held ? ", held" : "") + ")";
    }
}
