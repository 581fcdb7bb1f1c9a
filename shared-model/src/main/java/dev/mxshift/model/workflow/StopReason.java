package dev.mxshift.model.workflow;

import dev.mxshift.model.event.Finding;

import java.util.List;

/**
 * Why a stopped domain waits for a person, as the one reason code every view groups it by ({@code status}, {@code watch}'s
 * report, the API's {@code /status} and the console): its failure's category (DISCOVERY_PERMANENT, CONFLICT, ...), else
 * the codes of its preflight's or planner's findings, distinct and sorted, joined by {@code +} (a domain blocked for two
 * reasons is in the group of the pair, TARGET_UNKNOWN+ZONE_INSECURE, since it needs both actions), else its state's name.
 * A domain discovery found not eligible (already migrated, null MX, a fallback MX, a gateway, ...) is NOT_ELIGIBLE alone:
 * its other findings (no target, more than one MX) follow from what discovery saw and fixing them would not move it, so
 * it never lands in an actionable group such as TARGET_UNKNOWN's. Pure: from the state alone.
 */
public final class StopReason {

    /** The preflight's code for a domain whose discovered mail flow is not a migration candidate. */
    public static final String NOT_ELIGIBLE = "NOT_ELIGIBLE";

    /** Joins the codes of a domain blocked for more than one reason. */
    public static final String AND = "+";

    private StopReason() {
    }

    /** The reason code of a stopped domain; null for a domain that is not stopped. */
    public static String of(MigrationState s) {
        if (!s.status().stopped()) {
            return null;
        }
        if (s.failure() != null) {
            return s.failure().category().name();
        }
        if (s.blockReasons().stream().anyMatch(f -> f.code().equals(NOT_ELIGIBLE))) {
            return NOT_ELIGIBLE;
        }
        if (!s.blockReasons().isEmpty()) {
            return String.join(AND, s.blockReasons().stream().map(Finding::code).distinct().sorted().toList());
        }
        return s.status().name();
    }

    /** The single codes a reason code is made of, in order (one, or the pair's). */
    public static List<String> codes(String reason) {
        return List.of(reason.split(java.util.regex.Pattern.quote(AND)));
    }
}
