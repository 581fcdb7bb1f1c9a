package dev.mxshift.operator.console;

import dev.mxshift.model.event.Finding;
import dev.mxshift.model.workflow.Failure;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why a domain waits for a person, as a stable code the console groups by, and the one action the group needs: a stopped
 * domain's reason code (its failure's category, or its first preflight finding's code), or what it waits for (on hold,
 * paused, a Microsoft-side or registrar action to confirm). Pure: from the state alone.
 *
 * <p>The command line's report groups by reason too (issue 31, item 3); until one grouping serves both, this is the
 * console's.
 */
public final class ReasonGroups {

    /** The action an operator takes on a group: an API action's name (null: none), and what to do first, in a sentence. */
    public record NextStep(String action, String todo) {
    }

    /** A group of domains with one reason code, its count and its next step. */
    public record Group(String reason, int count, NextStep next, List<String> domains) {
    }

    /** Preflight's codes for domains mxshift leaves alone: replaying them would stop them again. */
    static final java.util.Set<String> REPORT_ONLY = java.util.Set.of("NOT_ELIGIBLE", "NOT_LEGACY_EXCHANGE_ONLINE");

    private ReasonGroups() {
    }

    /** The code a stopped domain is grouped by; null for a domain that is not stopped. */
    public static String reasonCode(MigrationState s) {
        if (!s.status().stopped()) {
            return null;
        }
        if (s.failure() != null) {
            return s.failure().category().name();
        }
        if (!s.blockReasons().isEmpty()) {
            return s.blockReasons().get(0).code();
        }
        return s.status().name();
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
        if (reason != null && REPORT_ONLY.contains(reason)) {
            return new NextStep(null, "none: mxshift does not change these domains (report only)");
        }
        if (reason != null) {
            Finding finding = s.failure() == null && !s.blockReasons().isEmpty() ? s.blockReasons().get(0) : null;
            String todo = finding != null && !finding.action().isBlank() ? finding.action() + ", then replay" : todoFor(s.failure());
            return new NextStep("replay", todo);
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

    private static String todoFor(Failure failure) {
        if (failure == null) {
            return "see the domain's reason, then replay";
        }
        return switch (failure.category()) {
            case DISCOVERY_RETRYABLE -> "the lookups failed for a passing reason: replay";
            case DISCOVERY_PERMANENT -> "fix the inventory row or the domain's DNS, then replay (or remove the domain)";
            case APPLY_RETRYABLE -> "the provider failed for a passing reason: replay";
            case CONFLICT -> "someone edited the record set: compare both versions on the domain page, then replay or roll back";
            case AUTHENTICATION -> "fix the connector's credentials, then replay";
            case APPLY_PERMANENT -> "fix what the provider refused (see the reason), then replay";
            case VERIFICATION -> "the step was not seen from outside in time: check the servers, then replay";
            case WORKFLOW -> "see the reason on the domain page, then replay";
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
