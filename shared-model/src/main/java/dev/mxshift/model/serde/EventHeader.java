package dev.mxshift.model.serde;

import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;

import java.util.UUID;

/**
 * What a service reads of every record of the event log before it knows whether the event is its own: the envelope's
 * identity and the three fields of the carried state that say who may act next, without binding the payload or the
 * state ({@link EventCodec#readHeader}). Most events of the log belong to another service, so this is all that is read
 * of them (decision 0038).
 *
 * @param schemaVersion as written; below the codec's current version the record must be decoded whole (upcast)
 * @param stateStart    where the carried state's JSON object begins in the record (its opening brace)
 * @param stateEnd      just after the carried state's closing brace
 */
public record EventHeader(UUID eventId, String domain, long sequence, String type, int schemaVersion,
                          WorkflowStatus status, boolean paused, boolean held, int stateStart, int stateEnd) {

    /** Whether {@code role} can own the next action of this event's state (see {@link Workflow#mayOwn}). */
    public boolean mayBeOwnedBy(ServiceRole role) {
        return Workflow.mayOwn(role, status, paused, held);
    }
}
