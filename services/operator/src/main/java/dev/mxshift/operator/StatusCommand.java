package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.workflow.DnssecPhase;
import dev.mxshift.model.workflow.DnssecProgress;
import dev.mxshift.model.workflow.GateHold;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Where every domain is: counts per state, per tenant and per phase of the DNSSEC stage, and the domains that wait for a
 * person. For one named domain, its DNSSEC stage with since when.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Counts of domains per workflow state, per tenant and per phase of the DNSSEC stage, and the domains waiting",
                "for an operator. For one named domain, where its DNSSEC stage is and since when.",
                "With --dnssec and --list, each line also says since when the domain is in its phase (read from the event log)."},
        footer = {"", "A domain's full history: history DOMAIN.", "", "Examples:", "  status", "  status --tenant contoso --list",
                "  status --status FAILED,CONFLICT --list --json", "  status --dnssec awaiting-ds --list      (who waits for a DS at the parent, since when)",
                "  status alpenhof.ch"})
final class StatusCommand extends EventLogCommand implements Callable<Integer> {

    @Mixin
    Selection selection;

    @Option(names = "--list", description = "list the selected domains, one line each")
    boolean list;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    /** The status document. */
    record Status(int domains, Map<WorkflowStatus, Integer> byStatus, Map<String, Map<WorkflowStatus, Integer>> byTenant,
                  Map<String, Integer> byDnssec, int paused, int held, int heldByWaveGate, int awaitingConfirmation,
                  int notDaneProtected, List<StoppedGroups.Group> stoppedByReason, Map<String, LegacyReferenceCounts> legacyReferencesByTenant,
                  List<Line> domainsListed) {
    }

    /** A domain's line; {@code dnssec} is where its DNSSEC stage stands ({@link DnssecProgress}). */
    record Line(String domain, String tenant, String status, String detail, Dnssec dnssec) {
    }

    /**
     * The DNSSEC stage as the views show it: the phase's word, the parent and path of the DS (null where none is planned),
     * since when (null where only the state was read) and what happens, in a sentence.
     */
    record Dnssec(String phase, String parent, String path, String since, String detail) {

        static Dnssec of(DnssecProgress p) {
            return new Dnssec(p.phase().word(), p.parent() == null ? null : p.parent().value(),
                    p.path() == null ? null : p.path().word(), p.since() == null ? null : p.since().toString(), p.detail());
        }

        /** The table's column: the phase, and for a DS on its way the parent and path ({@code awaiting-ds ch/cds}). */
        String brief() {
            return phase + (parent != null && path != null && (phase.equals(DnssecPhase.AWAITING_DS.word())
                    || phase.equals(DnssecPhase.WITHDRAWING_DS.word())) ? " " + parent + "/" + path : "");
        }

        Dnssec redactedFor(java.util.function.UnaryOperator<String> redact) {
            return new Dnssec(phase, parent, path, since, redact.apply(detail));
        }
    }

    /** The wave gate's holds, read only when one of the domains could be held (the gate holds READY domains only). */
    static Map<DomainName, GateHold> gateHoldsFor(java.util.Collection<MigrationState> domains, EventLog log) {
        return domains.stream().anyMatch(s -> s.status() == WorkflowStatus.READY) ? log.gateHolds() : Map.of();
    }

    /** The domain's hold, if there is one and it names the state the domain is in ({@link GateHold#appliesTo}). */
    static GateHold holdOn(MigrationState state, Map<DomainName, GateHold> gateHolds) {
        GateHold hold = gateHolds.get(state.domain());
        return hold != null && hold.appliesTo(state) ? hold : null;
    }

    /** A domain's line in status --list and the API's domain list: the wave gate's reason while it holds the domain. */
    static Line line(MigrationState state, GateHold applyingHold) {
        return line(state, applyingHold, DnssecProgress.of(state));
    }

    /** The same, with the DNSSEC stage as read from the domain's history (with since when). */
    static Line line(MigrationState state, GateHold applyingHold, DnssecProgress dnssec) {
        return new Line(state.domain().value(), state.tenant() == null ? null : state.tenant().value(), state.status().name(),
                applyingHold != null ? heldByGate(applyingHold) : detail(state), Dnssec.of(dnssec));
    }

    /**
     * Each domain's DNSSEC stage with since when, from the domains' histories (one pass over the event log's partitions
     * that hold them); the states' own where a history is empty.
     */
    static Map<DomainName, DnssecProgress> dnssecSince(java.util.Collection<MigrationState> domains, EventLog log) {
        Map<DomainName, List<dev.mxshift.model.event.EventEnvelope>> histories =
                log.histories(domains.stream().map(MigrationState::domain).toList());
        Map<DomainName, DnssecProgress> progress = new java.util.HashMap<>();
        for (MigrationState s : domains) {
            List<dev.mxshift.model.event.EventEnvelope> history = histories.getOrDefault(s.domain(), List.of());
            progress.put(s.domain(), history.isEmpty() ? DnssecProgress.of(s) : DnssecProgress.of(history));
        }
        return progress;
    }

    static String heldByGate(GateHold hold) {
        return "held by the wave gate since " + hold.since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ": " + hold.reason();
    }

    @Override
    public Integer call() {
        Map<DomainName, MigrationState> states;
        List<String> unknown = new ArrayList<>();
        List<MigrationState> chosen;
        Map<DomainName, GateHold> gateHolds = Map.of();
        Map<DomainName, DnssecProgress> since = Map.of();
        // one named domain, or a list of DNSSEC phases: since when, from the histories
        boolean oneDomain = selection.domains.size() == 1;
        try (EventLog log = kafka.eventLog()) {
            states = log.snapshot().states();
            chosen = selection.empty() ? new ArrayList<>(states.values()) : selection.select(states, unknown);
            gateHolds = gateHoldsFor(chosen, log);
            if ((oneDomain || (list && !selection.dnssecPhases.isEmpty())) && !chosen.isEmpty()) {
                since = dnssecSince(chosen, log);
            }
        }
        StatusCounts counts = StatusCounts.of(chosen);
        Map<WorkflowStatus, Integer> byStatus = counts.byStatus();
        Map<String, Map<WorkflowStatus, Integer>> byTenant = counts.byTenant();
        int paused = 0;
        int held = 0;
        int heldByGate = 0;
        int awaiting = 0;
        int unprotected = 0;
        List<Line> lines = new ArrayList<>();
        for (MigrationState s : chosen) {
            paused += s.paused() ? 1 : 0;
            held += s.held() ? 1 : 0;
            GateHold gateHold = holdOn(s, gateHolds);
            heldByGate += gateHold != null ? 1 : 0;
            boolean waits = Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation;
            awaiting += waits ? 1 : 0;
            unprotected += notDaneProtected(s) ? 1 : 0;
            if (list || oneDomain) {
                lines.add(line(s, gateHold, since.getOrDefault(s.domain(), DnssecProgress.of(s))));
            }
        }
        List<StoppedGroups.Group> groups = StoppedGroups.of(chosen);
        Map<String, LegacyReferenceCounts> legacy = LegacyReferenceCounts.byTenant(chosen);
        Status status = new Status(chosen.size(), byStatus, byTenant, counts.byDnssec(), paused, held, heldByGate, awaiting,
                unprotected, groups, legacy, lines);
        PrintWriter out = out();
        unknown.forEach(d -> err().println("status: " + d + " is not in the event log"));
        if (json) {
            out.println(Json.write(status));
            return unknown.isEmpty() ? 0 : 1;
        }
        out.printf("%,d domain(s)%s%s%n", chosen.size(), paused > 0 ? String.format(", %,d paused", paused) : "",
                held > 0 ? String.format(", %,d on hold (start --held)", held) : "");
        byStatus.forEach((k, v) -> out.printf("  %-17s %,9d%n", k, v));
        if (heldByGate > 0) {
            out.printf("  %,d of the READY held by the wave gate (status --status READY --list says why)%n", heldByGate);
        }
        if (awaiting > 0) {
            out.printf("  %,d waiting for the Microsoft-side action to be confirmed (confirm --awaiting-confirmation)%n", awaiting);
        }
        if (unprotected > 0) {
            out.printf("  %,d moved with an unsigned zone (policy migrate-insecure): %s%n", unprotected, NOT_DANE_PROTECTED);
        }
        if (!counts.byDnssec().isEmpty()) {
            out.println("  DNSSEC stage: " + dnssecCounts(counts.byDnssec()));
        }
        if (!groups.isEmpty()) {
            out.println();
            out.printf("stopped, by reason (%s):%n", list ? "each domain below" : "status --list: every domain");
            StoppedGroups.print(groups, out);
        }
        if (byTenant.size() > 1) {
            Map<String, Map<WorkflowStatus, Integer>> waiting = new java.util.TreeMap<>();
            for (Map.Entry<String, Map<WorkflowStatus, Integer>> t : byTenant.entrySet()) {
                Map<WorkflowStatus, Integer> stopped = new LinkedHashMap<>();
                t.getValue().forEach((k, v) -> {
                    if (k.stopped()) {
                        stopped.put(k, v);
                    }
                });
                if (!stopped.isEmpty()) {
                    waiting.put(t.getKey(), stopped);
                }
            }
            out.println();
            out.printf("%,d tenant(s); %s%n", byTenant.size(), waiting.isEmpty() ? "none with a domain waiting for a person"
                    : String.format("%,d with domains waiting for a person:", waiting.size()));
            int shown = 0;
            for (Map.Entry<String, Map<WorkflowStatus, Integer>> t : waiting.entrySet()) {
                if (shown++ < 50) {
                    out.printf("  %-30s %s%n", t.getKey(), t.getValue());
                }
            }
            if (waiting.size() > 50) {
                out.printf("  ... and %,d more (status --json has them all)%n", waiting.size() - 50);
            }
        }
        if (!legacy.isEmpty()) {
            out.println();
            out.println(LegacyReferenceCounts.HEADING);
            legacy.forEach((tenant, c) -> out.println(LegacyReferenceCounts.line(tenant, c)));
        }
        if (oneDomain && lines.size() == 1) {
            Line l = lines.get(0);
            out.println();
            out.printf("%s (tenant %s): %s, %s%n", l.domain(), l.tenant(), l.status(), l.detail());
            out.println("  DNSSEC: " + since.getOrDefault(chosen.get(0).domain(), DnssecProgress.of(chosen.get(0))).describe());
            for (dev.mxshift.model.event.LegacyReference r : chosen.get(0).legacyReferences()) {
                out.println("  still on the legacy hosts: " + r.record() + " (" + r.kind() + ", " + r.confidence().toLowerCase(java.util.Locale.ROOT)
                        + "); fix: " + r.fix());
            }
        } else if (list) {
            out.println();
            out.println(row("DOMAIN", "TENANT", "STATUS", "DNSSEC", "DETAIL"));
            lines.forEach(l -> out.println(row(l)));
        }
        return unknown.isEmpty() ? 0 : 1;
    }

    /** A line of the {@code --list} table: the DNSSEC column has the phase, for a DS on its way the parent and path, and since when where known. */
    static String row(Line l) {
        return row(l.domain(), l.tenant(), l.status(), l.dnssec().brief() + (l.dnssec().since() != null ? " since " + l.dnssec().since() : ""),
                l.detail());
    }

    private static String row(String domain, String tenant, String status, String dnssec, String detail) {
        return String.format("%-40s %-12s %-14s %-24s %s", domain, tenant, status, dnssec, detail);
    }

    /** The counts per phase for a person, with the way to list those waiting at the parent. */
    static String dnssecCounts(Map<String, Integer> byDnssec) {
        StringBuilder b = new StringBuilder();
        byDnssec.forEach((phase, n) -> b.append(b.length() == 0 ? "" : ", ").append(phase).append(' ').append(String.format("%,d", n)));
        if (byDnssec.containsKey(DnssecPhase.AWAITING_DS.word())) {
            b.append(" (status --dnssec awaiting-ds --list: who waits for a DS at the parent, since when)");
        }
        return b.toString();
    }

    static String detail(MigrationState s) {
        if (s.failure() != null && s.status().stopped()) {
            return s.failure().category() + ": " + s.failure().reason();
        }
        if (!s.blockReasons().isEmpty()) {
            return s.blockReasons().stream().map(f -> f.code() + ": " + f.message()).reduce((a, b) -> a + "; " + b).orElse("");
        }
        return OperatorAction.describe(s) + (notDaneProtected(s) ? "; " + NOT_DANE_PROTECTED : "");
    }

    static final String NOT_DANE_PROTECTED = dev.mxshift.model.event.UnsignedZonePolicy.NOT_DANE_PROTECTED;

    /** Whether the preflight let the domain through with an unsigned zone: its new MX is not DANE-protected. */
    static boolean notDaneProtected(MigrationState s) {
        return s.warnings().stream().anyMatch(w -> w.code().equals(dev.mxshift.model.event.UnsignedZonePolicy.ZONE_INSECURE));
    }
}
