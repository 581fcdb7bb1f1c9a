package dev.mxshift.operator;

import dev.mxshift.model.event.Cancelled;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.ExternalActionConfirmed;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.Paused;
import dev.mxshift.model.event.Resumed;
import dev.mxshift.model.event.RetryMode;
import dev.mxshift.model.event.RetryRequested;
import dev.mxshift.model.event.RollbackRequested;
import dev.mxshift.model.event.Started;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.IllegalTransitionException;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;

/**
 * What an operator's command means for one domain, decided from its state alone (pure: no Kafka, no clock of its
 * own: the caller's event factory gives the event its id and time): the next event of the domain, or the reason it
 * does not apply, in words an operator can act on.
 */
public enum OperatorAction {
    START("start"),
    CONFIRM("confirm the Microsoft-side action"),
    REPLAY("replay from the failing step"),
    REPLAY_FROM_DISCOVERY("replay from discovery"),
    PAUSE("pause"),
    RESUME("resume"),
    CANCEL("cancel"),
    ROLLBACK("roll back"),
    /** Roll back and undo the DNSSEC stage too: the DS withdrawn, every cache waited out, then signing stopped (invariant 6). */
    ROLLBACK_AND_UNSIGN("roll back and unsign the zone");

    private final String words;

    OperatorAction(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }

    /** The decision for one domain: an event to append, or why not. */
    public sealed interface Decision permits Append, Refused {
    }

    public record Append(EventEnvelope event) implements Decision {
    }

    public record Refused(String why) implements Decision {
    }

    public Decision decide(MigrationState state, String by, String reason, EventFactory events) {
        MigrationEvent payload;
        if (this == CONFIRM) {
            if (!(Workflow.next(state) instanceof NextAction.AwaitExternalConfirmation awaiting)) {
                return new Refused("it is not waiting for a Microsoft-side action (it is " + describe(state) + ")");
            }
            payload = new ExternalActionConfirmed(awaiting.direction(), awaiting.step(), awaiting.action(), by);
        } else {
            payload = switch (this) {
                case START -> new Started(by);
                case REPLAY -> new RetryRequested(RetryMode.FROM_FAILED_STEP, by);
                case REPLAY_FROM_DISCOVERY -> new RetryRequested(RetryMode.FROM_DISCOVERY, by);
                case PAUSE -> new Paused(by, reason);
                case RESUME -> new Resumed(by);
                case CANCEL -> new Cancelled(by, reason);
                case ROLLBACK -> new RollbackRequested(by, reason);
                case ROLLBACK_AND_UNSIGN -> new RollbackRequested(by, reason, true);
                default -> throw new IllegalStateException(name());
            };
        }
        try {
            return new Append(events.next(state, payload, state.lastEventId()));
        } catch (IllegalTransitionException e) {
            return new Refused("cannot " + words + ": " + e.getMessage());
        }
    }

    /** A domain's state in a few words: status, pause, step. */
    public static String describe(MigrationState s) {
        StringBuilder b = new StringBuilder(s.status().name());
        if (s.held()) {
            b.append(", on hold until started");
        }
        if (s.paused()) {
            b.append(", paused");
        }
        if (!s.activeSteps().isEmpty() && s.stepIndex() < s.activeSteps().size()) {
            b.append(", ").append(s.direction() == dev.mxshift.model.event.Direction.ROLLBACK ? "rollback " : "")
                    .append("step ").append(s.stepIndex() + 1).append('/').append(s.activeSteps().size()).append(' ')
                    .append(s.phase().name().toLowerCase(java.util.Locale.ROOT))
                    .append(": ").append(s.activeSteps().get(s.stepIndex()).describe());
        } else if (!s.activeSteps().isEmpty() && !s.status().terminal() && !s.status().stopped()) {
            b.append(", all ").append(s.activeSteps().size()).append(" steps verified; finishing");
        }
        return b.toString();
    }
}
