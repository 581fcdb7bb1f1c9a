package dev.mxshift.operator.console;

import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.StopReason;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.operator.StoppedGroups;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why a domain waits for a person, as a stable code the console groups by, and the one action the group needs: a stopped
 * domain's reason code ({@link StopReason}, the same the command line's {@code status} groups by) with the fix from
 * {@link StoppedGroups}' one table, worded for the console's buttons; or what it waits for (on hold, paused, a
 * Microsoft-side or registrar action to confirm). Pure: from the state alone.
 */
public final class ReasonGroups {

    /** The action an operator takes on a group: an API action's name (null: none), and what to do first, in a sentence. */
    public record NextStep(String action, String todo) {
    }

    /** A group of domains with one reason code, its count and its next step. */
    public record Group(String reason, int count, NextStep next, List<String> domains) {
    }

    private ReasonGroups() {
    }

    /** The code a stopped domain is grouped by ({@link StopReason#of}); null for a domain that is not stopped. */
    public static String reasonCode(MigrationState s) {
        return StopReason.of(s);
    }

    /** What a domain that is not stopped waits for from a person; null when nothing. */
    public static String waitingFor(MigrationState s) {
        if (s.status().terminal() || s.status().stopped()) {
            return null;
        }
        if (s.held()) {
            return "ON_HOLD";
        }
        if (s.paused()) {
            return "PAUSED";
        }
        if (Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation awaiting) {
            return "AWAITING_" + awaiting.action().name();
        }
        return null;
    }

    /** The one action for the domain's group, or null when it needs none. */
    public static NextStep nextStep(MigrationState s) {
        String reason = reasonCode(s);
        if (reason != null) {
            // the command line's fixes, with the console's button in place of the command that replays the group
            String todo = StoppedGroups.todo(s, reason, "replay");
            return new NextStep(todo.equals(StoppedGroups.NONE) ? null : "replay", todo);
        }
        String waiting = waitingFor(s);
        if (waiting == null) {
            return null;
        }
        return switch (waiting) {
            case "ON_HOLD" -> new NextStep("start", "imported on hold: start it when its wave is due");
            case "PAUSED" -> new NextStep("resume", "paused by an operator: resume it when the reason is gone");
            default -> {
                NextAction.AwaitExternalConfirmation awaiting = (NextAction.AwaitExternalConfirmation) Workflow.next(s);
                yield new NextStep("confirm", awaiting.action().cmdlet() + (awaiting.action().cmdlet().contains(" ") ? " for " : " -DomainName ")
                        + s.domain().value() + ", then confirm");
            }
        };
    }

    /**
     * The groups of the domains that wait for a person, largest first: stopped domains by reason code, the others by what
     * they wait for. Each group's next step is its first domain's (a code means one cause, so one action).
     */
    public static List<Group> of(Collection<MigrationState> states) {
        Map<String, List<MigrationState>> byReason = states.stream()
                .filter(s -> reasonCode(s) != null || waitingFor(s) != null)
                .collect(Collectors.groupingBy(s -> reasonCode(s) != null ? reasonCode(s) : waitingFor(s), LinkedHashMap::new, Collectors.toList()));
        return byReason.entrySet().stream()
                .map(e -> new Group(e.getKey(), e.getValue().size(), nextStep(e.getValue().get(0)),
                        e.getValue().stream().map(s -> s.domain().value()).sorted().toList()))
                .sorted(java.util.Comparator.comparingInt(Group::count).reversed().thenComparing(Group::reason))
                .toList();
    }
}
