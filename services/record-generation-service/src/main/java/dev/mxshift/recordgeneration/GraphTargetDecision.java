package dev.mxshift.recordgeneration;

import dev.mxshift.model.event.Actor;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.RetryMode;
import dev.mxshift.model.event.RetryRequested;
import dev.mxshift.model.event.TargetAssigned;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.IllegalTransitionException;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.StopReason;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.recordgeneration.GraphTargetSource.Lookup;

import java.time.Duration;
import java.util.List;

/**
 * What Microsoft Graph's answer about a domain waiting for its mx.microsoft host means for the domain (decision 0034):
 * pure, from the domain's state and the lookup. An assigned host gives the events an operator gives with the
 * enablement script's CSV and a replay: {@code TargetAssigned} (source "Microsoft Graph"), then {@code RetryRequested},
 * both caused by {@link #ACTOR}, so the domain goes on by itself and its history says who moved it. Anything else is
 * a wait: short while Microsoft has not assigned the host, longer after a problem, which is reported once.
 */
public final class GraphTargetDecision {

    /** Who the history names for Graph's events. */
    public static final Actor ACTOR = Actor.service("graph");
    /** {@code TargetAssigned.source} of Graph's events. */
    public static final String SOURCE = "Microsoft Graph";
    static final String TARGET_UNKNOWN = "TARGET_UNKNOWN";

    private GraphTargetDecision() {
    }

    /** What to do for one domain. */
    public sealed interface Decision {
        /** Append these events, in order (the domain's next two). */
        record Assign(List<EventEnvelope> events) implements Decision {
        }

        /** Ask again after {@code after}; nothing to report. */
        record LookAgain(Duration after, String why) implements Decision {
        }

        /**
         * Ask again after {@code after}; {@code problem} is told to a person once (not at every look), keyed by
         * {@code key}: one key per token for a refused token, one per domain otherwise.
         */
        record Report(String key, String problem, Duration after) implements Decision {
        }

        /** Graph waits for the whole service: Retry-After, then every lookup resumes. */
        record Pause(Duration after) implements Decision {
        }

        /** The domain no longer waits for a target (moved on, paused, held, or given one by other means): forget it. */
        record NotWaiting() implements Decision {
        }
    }

    /**
     * Whether the domain waits for Microsoft's host, the one thing Graph can give: blocked by preflight with
     * TARGET_UNKNOWN, with no target from any source yet, and neither paused nor held (an operator's hand stays on it); not a
     * domain discovery found not eligible (null MX, already migrated, ...), which lacks a target too.
     */
    public static boolean waiting(MigrationState state) {
        // By the one reason code: a domain discovery found not eligible also lacks a target, but a target would not move it.
        return state.status() == WorkflowStatus.BLOCKED && state.targetHost() == null && !state.paused() && !state.held()
                && StopReason.codes(StopReason.of(state)).contains(TARGET_UNKNOWN);
    }

    /**
     * @param lookAgain    the wait while Microsoft has not assigned the host
     * @param afterProblem the wait after a refusal, an unknown domain or a failure
     */
    public static Decision decide(MigrationState state, Lookup lookup, EventFactory events, String tokenName,
                                  Duration lookAgain, Duration afterProblem) {
        if (!waiting(state)) {
            return new Decision.NotWaiting();
        }
        if (lookup instanceof Lookup.Assigned assigned) {
            try {
                EventEnvelope target = events.next(state, new TargetAssigned(assigned.targetHost(), SOURCE), state.lastEventId())
                        .causedBy(ACTOR);
                EventEnvelope retry = events.next(target.state(), new RetryRequested(RetryMode.FROM_FAILED_STEP, ACTOR.name()),
                        target.eventId()).causedBy(ACTOR);
                return new Decision.Assign(List.of(target, retry));
            } catch (IllegalTransitionException e) {
                // the fold refuses only what waiting() let through by mistake: said once, never appended
                return new Decision.Report(state.domain().value(), "Microsoft Graph gave " + state.domain() + " the host "
                        + assigned.targetHost() + ", which the workflow refuses: " + e.getMessage(), afterProblem);
            }
        }
        if (lookup instanceof Lookup.NotYetAssigned not) {
            return new Decision.LookAgain(lookAgain, "Microsoft still lists " + not.mailExchange() + " for " + state.domain()
                    + " (Enable-DnssecForVerifiedDomain has not run)");
        }
        if (lookup instanceof Lookup.Throttled throttled) {
            return new Decision.Pause(throttled.retryAfter());
        }
        if (lookup instanceof Lookup.Unauthorized refused) {
            return new Decision.Report("token " + tokenName, refused.message() + "; the domains of tenant " + state.tenant()
                    + " wait for the enablement script's CSV until it is fixed", afterProblem);
        }
        if (lookup instanceof Lookup.UnknownDomain unknown) {
            return new Decision.Report(state.domain().value(), unknown.message()
                    + "; check that the tenant's token is for the Microsoft tenant that holds it", afterProblem);
        }
        return new Decision.Report(state.domain().value(), ((Lookup.Failed) lookup).message(), afterProblem);
    }
}
