package dev.mxshift.operator;

import dev.mxshift.model.event.EventEnvelope;

import java.util.List;
import java.util.Optional;

/**
 * Whether an operator's action is already in the event log and not yet applied: an event of the same type at the same
 * sequence (decided from the same state) among the domain's unapplied events. While the services are down or behind, the
 * state topic still shows the state before the earlier request, so the watcher and the API would otherwise decide the
 * same action again on every look, and the audit trail would read as if each look were a person asking again.
 */
final class PendingActions {

    private PendingActions() {
    }

    /** The earlier event that already asks for {@code proposed}, if there is one among the domain's {@code unapplied} events. */
    static Optional<EventEnvelope> alreadyInLog(EventEnvelope proposed, List<EventEnvelope> unapplied) {
        return unapplied.stream().filter(e -> e.domain().equals(proposed.domain()) && e.sequence() == proposed.sequence()
                && e.payload().getClass() == proposed.payload().getClass()).findFirst();
    }
}
