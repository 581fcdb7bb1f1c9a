package dev.mxshift.operator;

import dev.mxshift.model.event.Finding;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.StopReason;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stopped domains grouped by their reason code ({@link StopReason}: one derivation for {@code status}, {@code watch}'s
 * report, the API's {@code /status} and the console), and the one table of what each reason needs a person to do: hundreds
 * of domains stop for the same few reasons, and each reason needs one action for the whole group. A domain blocked for two
 * reasons is in the group of that pair (TARGET_UNKNOWN+ZONE_INSECURE), whose action is both actions.
 */
public final class StoppedGroups {

    /** How many domains of a group are named on the screen; {@code --list} names them all. */
    static final int SHOWN = 3;

    /** Preflight's codes for domains mxshift leaves alone: replaying them would stop them again. */
    static final java.util.Set<String> REPORT_ONLY = java.util.Set.of("NOT_ELIGIBLE", "NOT_LEGACY_EXCHANGE_ONLINE");

    /** What a group needs when mxshift leaves its domains alone. */
    public static final String NONE = "none: mxshift does not change these domains (report only)";

    /**
     * One group: the reason code (two codes joined by {@code +} when a domain has both), the state its domains are in
     * (states joined by a comma in the rare group that spans two), how many, the one action they need, the first few
     * domains (sorted) and the command that lists them all.
     */
    record Group(String reason, String status, int count, String action, List<String> first, String listCommand) {
    }

    private StoppedGroups() {
    }

    /** The groups of the stopped domains among {@code states}, largest first (then by reason). */
    static List<Group> of(Collection<MigrationState> states) {
        Map<String, List<MigrationState>> byReason = new TreeMap<>();
        for (MigrationState s : states) {
            String reason = StopReason.of(s);
            if (reason != null) {
                byReason.computeIfAbsent(reason, k -> new ArrayList<>()).add(s);
            }
        }
        List<Group> groups = new ArrayList<>();
        byReason.forEach((reason, domains) -> {
            String status = String.join(",", domains.stream().map(d -> d.status().name()).distinct().sorted().toList());
            List<String> names = domains.stream().map(d -> d.domain().value()).sorted().toList();
            String action = StopReason.NOT_ELIGIBLE.equals(reason) ? notEligible(domains) : action(domains.get(0), status, reason);
            groups.add(new Group(reason, status, domains.size(), action,
                    names.subList(0, Math.min(SHOWN, names.size())),
                    "./mxshift status --status " + status + " --failed-because " + StopReason.codes(reason).get(0) + " --list"));
        });
        groups.sort(Comparator.comparingInt(Group::count).reversed().thenComparing(Group::reason));
        return groups;
    }

    /**
     * The action of the not-eligible group: none from mxshift, with how many of each discovery classification it holds, since
     * what a person may change differs (nothing for an already migrated domain, the fallback MX for another).
     */
    static String notEligible(List<MigrationState> domains) {
        Map<String, Long> byClassification = new TreeMap<>(domains.stream().collect(java.util.stream.Collectors.groupingBy(
                d -> d.classification() == null ? "not classified" : d.classification().name(), java.util.stream.Collectors.counting())));
        return NONE + "; by discovery's classification: " + String.join(", ", byClassification.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList()) + " (each domain's discovery reason says what would make it eligible:"
                + " ./mxshift history DOMAIN)";
    }

    /** The command line's action for the group: each code's fix, then the command that resumes the whole group. */
    static String action(MigrationState one, String status, String reason) {
        return todo(one, reason, "./mxshift replay --status " + status + " --failed-because " + StopReason.codes(reason).get(0));
    }

    /**
     * What a person does about the group whose first domain is {@code one}: each code's fix, in words that fit the command
     * line and the console alike, then {@code then} (the command, or the console's button, that replays the group);
     * {@link #NONE} where mxshift leaves the domains alone (there is nothing to replay).
     */
    public static String todo(MigrationState one, String reason, String then) {
        List<String> fixes = new ArrayList<>();
        for (String code : StopReason.codes(reason)) {
            String fix = fix(one, code);
            if (fix != null && !fixes.contains(fix)) {
                fixes.add(fix);
            }
        }
        return fixes.isEmpty() ? NONE : String.join("; and ", fixes) + ", then " + then;
    }

    /**
     * The one table: what a single code needs. The codes whose findings name a single domain (or name no command) get the
     * group's fix here; every other finding already says what to do in words that fit every domain. Null: report only.
     */
    private static String fix(MigrationState s, String code) {
        if (REPORT_ONLY.contains(code)) {
            return null;
        }
        return switch (code) {
            case "TARGET_UNKNOWN" -> "run Enable-DnssecForVerifiedDomain for them (./mxshift dry-run --enablement-scripts DIR, or the"
                    + " console's Microsoft page, writes one script per tenant), import the CSV it exports";
            case "ZONE_INSECURE" -> "sign the zones (enable DNSSEC at the DNS provider, DS at the registrar; or set their unsigned-zone"
                    + " policy to sign, docs/runbook.md \"Unsigned zones\")";
            case "DISCOVERY_PERMANENT" -> "check each name in the inventory (misspelt, lapsed: remove it) and its DNS";
            case "DISCOVERY_RETRYABLE" -> "the lookups failed for a passing reason: wait until their name servers answer again";
            case "CONFLICT" -> "someone edited the record set: compare both versions (status --list, or the domain page), put back the"
                    + " record or accept the edit (or roll back)";
            case "AUTHENTICATION" -> "fix the connector's credentials";
            case "MTA_STS_NOT_COVERING" -> "publish each domain's MTA-STS policy with the new MX host among its mx lines (the exact"
                    + " policy: ./mxshift history DOMAIN, or the domain page), or let the plan carry the policy update";
            case "APPLY_RETRYABLE" -> "the provider failed for a passing reason: check that it answers again";
            case "APPLY_PERMANENT" -> "fix what the provider refused (a domain's reason: history DOMAIN, or the domain page)";
            case "VERIFICATION" -> "the step was not seen from outside in time: check the servers and the resolver";
            case "WORKFLOW" -> "read a domain's reason (history DOMAIN, or the domain page) and fix the cause";
            // the group's own "then" (the replay) follows, so a finding's closing "then retry" would say it twice
            default -> s.blockReasons().stream().filter(f -> f.code().equals(code) && !f.action().isBlank())
                    .map(f -> f.action().replaceFirst("[,;] then retry$", ""))
                    .findFirst().orElse("see a domain's reason (status --list, or the domain page)");
        };
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
