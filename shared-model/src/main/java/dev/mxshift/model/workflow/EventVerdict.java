package dev.mxshift.model.workflow;

import dev.mxshift.model.event.EventEnvelope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the workflow made of one event of a domain's history: applied, with the state after it, or ignored, and why.
 * The workflow acts on the first event of each sequence, in log order; a later one of the same sequence (a repeat
 * delivered again, or an operator's action that lost the race or was asked twice) is stale, one after a gap is out of
 * order, and one {@link Workflow#apply} refuses changes nothing. {@link #of} is that reading, once, for every view that
 * shows a history.
 *
 * @param stateAfter     the state after the event, or the unchanged state where it was ignored
 * @param ignoredBecause null where applied; else a sentence for a person
 */
public record EventVerdict(EventEnvelope event, MigrationState stateAfter, String ignoredBecause) {

    public boolean applied() {
        return ignoredBecause == null;
    }

    /** Each event of one domain's history, in log order, as the workflow reads it. */
    public static List<EventVerdict> of(List<EventEnvelope> history) {
        List<EventVerdict> verdicts = new ArrayList<>();
        if (history.isEmpty()) {
            return verdicts;
        }
        MigrationState state = MigrationState.initial(history.get(0).domain());
        Map<Long, EventEnvelope> applied = new HashMap<>();
        for (EventEnvelope event : history) {
            String ignored = null;
            if (event.sequence() <= state.sequence()) {
                ignored = stale(event, applied.get(event.sequence()));
            } else if (event.sequence() > state.sequence() + 1) {
                ignored = "out of order: events are missing before it (the workflow expected #" + (state.sequence() + 1) + ")";
            } else {
                try {
                    state = Workflow.apply(state, event);
                    applied.put(event.sequence(), event);
                } catch (IllegalTransitionException refused) {
                    ignored = "refused by the workflow: " + refused.getMessage();
                }
            }
            verdicts.add(new EventVerdict(event, state, ignored));
        }
        return verdicts;
    }

    private static String stale(EventEnvelope event, EventEnvelope first) {
        if (first == null) {
            return "stale: #" + event.sequence() + " was already applied";
        }
        if (first.eventId().equals(event.eventId())) {
            return "a repeat of #" + first.sequence() + " (the same event written again)";
        }
        return "stale: #" + first.sequence() + " was already " + first.type() + (first.actor() == null ? "" : " asked by " + first.actor())
                + " at " + first.occurredAt() + "; only the first event of a sequence counts";
    }
}
