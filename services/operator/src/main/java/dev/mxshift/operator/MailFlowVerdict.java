package dev.mxshift.operator;

import dev.mxshift.lab.mailflow.MailFlowRecorder.Delivery;
import dev.mxshift.lab.mailflow.MailFlowReport;
import dev.mxshift.lab.mailflow.MailFlowReport.Fate;
import dev.mxshift.lab.mailflow.MailFlowReport.Outcome;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the demo's mail flow proves, decided from the sender's and endpoints' logs ({@link MailFlowReport}) and the
 * domains' end states: every message stored exactly once, none bounced or lost; every domain completed in a signed zone
 * last reached over DANE-verified TLS; every rolled-back domain's mail back where it went before the move. Each domain's
 * mail is split into before (sent before the watch first saw it moving), during, and after (sent once it had settled).
 */
record MailFlowVerdict(String line, List<String> details, List<DomainMail> domains, List<String> problems) {

    /** Which endpoints (by role) took a domain's mail before, during and after its move, and the TLS of its last delivery. */
    record DomainMail(String domain, String status, List<String> before, List<String> during, List<String> after, String lastTls,
                      int messages) {

        String pattern() {
            return status + ": before " + words(before) + ", during " + words(during) + ", after " + words(after);
        }

        private static String words(List<String> roles) {
            return roles.isEmpty() ? "-" : String.join(" -> ", roles);
        }
    }

    /** When the watch first saw a domain moving (MIGRATING or ROLLING_BACK), and when it first saw it settled after that. */
    record Timeline(Instant movingSince, Instant settledAt) {
    }

    /**
     * A domain whose provider refused mxshift's write (the demo froze its zone): first seen stopped at {@code stoppedAt},
     * replayed at {@code replayedAt}; {@code stoppedAt} null when no write was refused, {@code replayedAt} null when it was
     * not replayed, {@code reason} saying why.
     */
    record Replay(String domain, String reason, Instant stoppedAt, Instant replayedAt) {
    }

    boolean clean() {
        return problems.isEmpty();
    }

    /**
     * The verdict. {@code notMailable}: the domains not mailed, with why (a null MX, NXDOMAIN, SERVFAIL); {@code refused}:
     * submissions the sender did not accept; {@code replays}: the domains stopped by a refused write and replayed, whose mail
     * must have gone on to where it went before while they were stopped, and which must end completed; {@code interval}:
     * seconds between rounds.
     */
    static MailFlowVerdict decide(MailFlowReport report, Map<DomainName, MigrationState> states, Map<String, Timeline> timelines,
                                  Map<String, String> notMailable, List<String> refused, List<Replay> replays, long interval) {
        List<String> problems = new ArrayList<>();
        long bounced = report.count(Fate.BOUNCED);
        long lost = report.count(Fate.LOST) + report.pending();
        long duplicated = report.count(Fate.DUPLICATED);
        if (bounced > 0) {
            problems.add(bounced + " message(s) bounced");
        }
        if (lost > 0) {
            problems.add(lost + " message(s) never seen at an endpoint (" + report.pending() + " still queued when the report was made)");
        }
        if (duplicated > 0) {
            problems.add(duplicated + " message(s) stored more than once");
        }
        if (!refused.isEmpty()) {
            problems.add(refused.size() + " submission(s) refused by the sender, first: " + refused.get(0));
        }
        Map<String, List<Outcome>> byDomain = report.outcomes().stream()
                .collect(Collectors.groupingBy(o -> o.message().domain(), LinkedHashMap::new, Collectors.toList()));
        Map<String, MailFlowReport.DomainFlow> flows = report.domains();
        List<DomainMail> domains = new ArrayList<>();
        int signedCompleted = 0;
        int verified = 0;
        for (Map.Entry<String, List<Outcome>> e : new TreeMap<>(byDomain).entrySet()) {
            String domain = e.getKey();
            MigrationState state = states.get(DomainName.of(domain));
            String status = state == null ? "NOT_IN_LOG" : state.status().name();
            Timeline t = timelines.getOrDefault(domain, new Timeline(null, null));
            List<String> before = new ArrayList<>();
            List<String> during = new ArrayList<>();
            List<String> after = new ArrayList<>();
            for (Outcome o : e.getValue()) {
                Instant at = o.message().at();
                List<String> phase = t.movingSince() == null || at.isBefore(t.movingSince()) ? before
                        : t.settledAt() == null || at.isBefore(t.settledAt()) ? during : after;
                for (Delivery d : o.deliveries()) {
                    String role = role(d.endpoint());
                    if (phase.isEmpty() || !phase.get(phase.size() - 1).equals(role)) {
                        phase.add(role);
                    }
                }
            }
            MailFlowReport.DomainFlow flow = flows.get(domain);
            String lastTls = flow == null ? "" : flow.lastTls();
            domains.add(new DomainMail(domain, status, before, during, after, lastTls, e.getValue().size()));
            if (state != null && state.status() == WorkflowStatus.COMPLETED && !StatusCommand.notDaneProtected(state)) {
                signedCompleted++;
                if (flow != null && flow.lastDaneVerified()) {
                    verified++;
                } else {
                    problems.add(domain + ": completed in a signed zone, but its last delivery went over "
                            + (lastTls.isEmpty() ? "no logged TLS" : lastTls + " TLS") + " to " + (flow == null ? "no endpoint" : flow.lastEndpoint()));
                }
            }
            if (state != null && state.status() == WorkflowStatus.ROLLED_BACK && flow != null && !flow.endpoints().isEmpty()
                    && !flow.lastEndpoint().equals(flow.endpoints().get(0))) {
                problems.add(domain + ": rolled back, but its last mail went to " + flow.lastEndpoint() + ", not back to " + flow.endpoints().get(0));
            }
        }
        Map<String, Long> reasons = report.deferrals().stream().collect(Collectors.groupingBy(d -> d.reason().replaceAll("\\s+", " "),
                LinkedHashMap::new, Collectors.counting()));
        List<String> details = new ArrayList<>();
        details.add(String.format("mail sent every %d s to %,d domains: %,d sent, %,d delivered exactly once, %,d more than once, %,d bounced,"
                        + " %,d never seen, %,d deferral(s)", interval, byDomain.size(), report.sent(), report.count(Fate.DELIVERED), duplicated,
                bounced, lost, report.deferrals().size()));
        reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .forEach(r -> details.add(String.format("  deferred %,d time(s): %s", r.getValue(), r.getKey())));
        details.add("where each domain's mail went (endpoint roles; before, during and after the move as the watch saw it):");
        domains.stream().collect(Collectors.groupingBy(DomainMail::pattern, TreeMap::new, Collectors.counting())).entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(p -> details.add(String.format("  %,6d  %s", p.getValue(), p.getKey())));
        long rolledBack = domains.stream().filter(d -> d.status().equals(WorkflowStatus.ROLLED_BACK.name())).count();
        if (rolledBack > 0) {
            details.add(String.format("rolled back: %,d domain(s), %s", rolledBack, problems.stream().anyMatch(p -> p.contains("rolled back"))
                    ? "NOT all with their mail back at the endpoint it went to before the move" : "their mail back at the endpoint it went to before the move"));
        }
        long replayed = 0;
        for (Replay r : replays) {
            replayed += replay(r, byDomain.getOrDefault(r.domain(), List.of()), flows.get(r.domain()), states.get(DomainName.of(r.domain())),
                    details, problems) ? 1 : 0;
        }
        if (!notMailable.isEmpty()) {
            details.add(String.format("not mailed, by design (a sender cannot deliver to them whatever mxshift does): %,d domain(s)", notMailable.size()));
            notMailable.values().stream().collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()))
                    .forEach((why, n) -> details.add(String.format("  %,6d  %s (%s)", n, why, notMailable.entrySet().stream()
                            .filter(x -> x.getValue().equals(why)).map(Map.Entry::getKey).sorted().limit(3).collect(Collectors.joining(", "))
                            + (n > 3 ? ", ..." : ""))));
        }
        problems.forEach(p -> details.add("PROBLEM: " + p));
        String line = String.format("mail flow: %,d bounced, %,d lost, %,d duplicated, %,d DANE-verified (of %,d domains completed in a signed zone);"
                        + " %,d sent to %,d domains, %,d delivered once, %,d deferral(s)%s%s", bounced, lost, duplicated, verified, signedCompleted,
                report.sent(), byDomain.size(), report.count(Fate.DELIVERED), report.deferrals().size(),
                notMailable.isEmpty() ? "" : String.format(", %,d not mailable by design", notMailable.size()),
                replayed == 0 ? "" : String.format(", %,d replayed after a refused write", replayed));
        return new MailFlowVerdict(line, details, domains, problems);
    }

    /**
     * A replay's details line, and its problems: a message sent while the domain was stopped that went elsewhere than its
     * mail went before, or a replayed domain that did not complete. Whether it was replayed.
     */
    private static boolean replay(Replay r, List<Outcome> mail, MailFlowReport.DomainFlow flow, MigrationState state, List<String> details,
                                  List<String> problems) {
        if (r.stoppedAt() == null || r.replayedAt() == null) {
            details.add("no replay after a refused write shown for " + r.domain() + ": " + r.reason());
            if (r.stoppedAt() != null) {
                problems.add(r.domain() + ": stopped by a refused write, but not replayed");
            }
            return false;
        }
        String first = flow == null || flow.endpoints().isEmpty() ? null : flow.endpoints().get(0);
        List<Outcome> meanwhile = mail.stream().filter(o -> !o.message().at().isBefore(r.stoppedAt()) && o.message().at().isBefore(r.replayedAt()))
                .toList();
        List<String> roles = meanwhile.stream().flatMap(o -> o.deliveries().stream()).map(d -> role(d.endpoint())).distinct().toList();
        List<String> elsewhere = meanwhile.stream().flatMap(o -> o.deliveries().stream()).map(Delivery::endpoint)
                .filter(e -> !e.equals(first)).distinct().toList();
        String end = state == null ? "NOT_IN_LOG" : state.status().name();
        details.add(String.format("replayed after a refused write: %s (%s); stopped %d s, %,d message(s) sent meanwhile, delivered at %s;"
                        + " thawed and replayed from the failing step: %s%s", r.domain(), shorten(r.reason()),
                Duration.between(r.stoppedAt(), r.replayedAt()).toSeconds(), meanwhile.size(), roles.isEmpty() ? "-" : String.join(", ", roles), end,
                flow == null ? "" : ", last delivery " + role(flow.lastEndpoint()) + (flow.lastDaneVerified() ? " DANE-verified" : "")));
        if (!elsewhere.isEmpty()) {
            problems.add(r.domain() + ": stopped by a refused write, but mail sent meanwhile went to " + String.join(", ", elsewhere)
                    + ", not to " + first);
        }
        if (state == null || state.status() != WorkflowStatus.COMPLETED) {
            problems.add(r.domain() + ": replayed after a refused write, but it ended " + end);
        }
        return true;
    }

    private static String shorten(String reason) {
        String one = reason.replaceAll("\\s+", " ").strip();
        return one.length() <= 100 ? one : one.substring(0, 97) + "...";
    }

    /** "127.0.20.3:25 legacy" is "legacy". */
    static String role(String endpoint) {
        int space = endpoint.indexOf(' ');
        return space < 0 ? endpoint : endpoint.substring(space + 1);
    }
}
