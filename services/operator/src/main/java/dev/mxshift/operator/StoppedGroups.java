package dev.mxshift.operator;

import dev.mxshift.model.event.Finding;
import dev.mxshift.model.workflow.MigrationState;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stopped domains grouped by their reason code, for {@code status} and {@code watch}'s report: hundreds of domains
 * stop for the same few reasons, and each reason needs one action for the whole group. A domain's reason code is its
 * failure's category (DISCOVERY_PERMANENT, CONFLICT, ...) or the codes of the preflight's or planner's findings
 * (ZONE_INSECURE, TARGET_UNKNOWN, ...); a domain blocked for two reasons is in the group of that pair
 * (TARGET_UNKNOWN+ZONE_INSECURE), whose action is both actions.
 */
final class StoppedGroups {

    /** How many domains of a group are named on the screen; {@code --list} names them all. */
    static final int SHOWN = 3;

    /**
     * One group: the reason code (two codes joined by {@code +} when a domain has both), the state its domains are in,
     * how many, the one action they need, the first few domains (sorted) and the command that lists them all.
     */
    record Group(String reason, String status, int count, String action, List<String> first, String listCommand) {
    }

    private StoppedGroups() {
    }

    /** The groups of the stopped domains among {@code states}, largest first (then by reason). */
    static List<Group> of(Collection<MigrationState> states) {
        Map<String, List<MigrationState>> byReason = new TreeMap<>();
        for (MigrationState s : states) {
            if (s.status().stopped()) {
                byReason.computeIfAbsent(s.status() + " " + reason(s), k -> new ArrayList<>()).add(s);
            }
        }
        List<Group> groups = new ArrayList<>();
        byReason.forEach((key, domains) -> {
            MigrationState one = domains.get(0);
            String reason = reason(one);
            List<String> names = domains.stream().map(d -> d.domain().value()).sorted().toList();
            groups.add(new Group(reason, one.status().name(), domains.size(), action(one, reason), names.subList(0, Math.min(SHOWN, names.size())),
                    "./mxshift status --status " + one.status() + " --failed-because " + firstCode(reason) + " --list"));
        });
        groups.sort(Comparator.comparingInt(Group::count).reversed().thenComparing(Group::reason));
        return groups;
    }

    /** The domain's reason code: its failure's category, else its findings' codes joined by {@code +}, else its state. */
    static String reason(MigrationState s) {
        if (s.failure() != null) {
            return s.failure().category().name();
        }
        if (!s.blockReasons().isEmpty()) {
            return String.join("+", s.blockReasons().stream().map(Finding::code).distinct().sorted().toList());
        }
        return s.status().name();
    }

    private static String firstCode(String reason) {
        int plus = reason.indexOf('+');
        return plus < 0 ? reason : reason.substring(0, plus);
    }

    /**
     * The one action the group needs. The codes whose findings name a single domain (or name no command) get the group's
     * action here; every other finding already says what to do in words that fit every domain, and is followed by the
     * command that resumes the whole group.
     */
    static String action(MigrationState s, String reason) {
        String replay = "./mxshift replay --status " + s.status() + " --failed-because " + firstCode(reason);
        List<String> actions = new ArrayList<>();
        for (String code : reason.split("\\+")) {
            actions.add(switch (code) {
                case "TARGET_UNKNOWN" -> "run Enable-DnssecForVerifiedDomain for them (./mxshift dry-run --enablement-scripts DIR writes one"
                        + " script per tenant), ./mxshift import the CSV it exports, then " + replay;
                case "ZONE_INSECURE" -> "sign the zones (enable DNSSEC at the DNS provider, DS at the registrar; or set their unsigned-zone"
                        + " policy to sign, docs/runbook.md \"Unsigned zones\"), then " + replay;
                case "DISCOVERY_PERMANENT" -> "check each name in the inventory (misspelt, lapsed: remove it), then " + replay;
                case "DISCOVERY_RETRYABLE" -> "when their name servers answer again, " + replay;
                case "CONFLICT" -> "compare both record sets (status --list), put back the record or accept the edit, then " + replay;
                case "AUTHENTICATION" -> "fix the connector's credentials, then " + replay;
                case "APPLY_RETRYABLE", "APPLY_PERMANENT", "VERIFICATION", "WORKFLOW" -> "read a domain's reason (history DOMAIN), fix"
                        + " the cause, then " + replay;
                case "NOT_ELIGIBLE", "NOT_LEGACY_EXCHANGE_ONLINE" -> "none: mxshift does not change these domains (report only)";
                default -> findingAction(s, code) + "; then " + replay;
            });
        }
        return String.join("; and ", actions.stream().distinct().toList());
    }

    private static String findingAction(MigrationState s, String code) {
        return s.blockReasons().stream().filter(f -> f.code().equals(code) && !f.action().isBlank()).map(Finding::action).findFirst()
                .orElse("see a domain's reason (status --list)");
    }

    /** The groups on the screen: a line per group with its count and action, and one with its first domains. */
    static void print(List<Group> groups, PrintWriter out) {
        for (Group g : groups) {
            out.printf("  %-28s %-16s %,6d  %s%n", g.reason(), g.status(), g.count(), g.action());
            out.printf("      %s%s%n", String.join(", ", g.first()), g.count() > g.first().size()
                    ? String.format(", ... %,d more: %s", g.count() - g.first().size(), g.listCommand()) : "");
        }
    }
}
