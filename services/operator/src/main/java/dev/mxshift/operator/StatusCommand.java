package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.workflow.GateHold;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** Where every domain is: counts per state and per tenant, and the domains that wait for a person. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Counts of domains per workflow state and per tenant, and the domains waiting for an operator.",
        footer = {"", "A domain's full history: history DOMAIN.", "", "Examples:", "  status", "  status --tenant contoso --list",
                "  status --status FAILED,CONFLICT --list --json"})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    Selection selection;

    @Option(names = "--list", description = "list the selected domains, one line each")
    boolean list;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Spec
    CommandSpec spec;

    /** The status document. */
    record Status(int domains, Map<WorkflowStatus, Integer> byStatus, Map<String, Map<WorkflowStatus, Integer>> byTenant,
                  int paused, int held, int heldByWaveGate, int awaitingConfirmation, int notDaneProtected, List<Line> domainsListed) {
    }

    record Line(String domain, String tenant, String status, String detail) {
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
        return new Line(state.domain().value(), state.tenant() == null ? null : state.tenant().value(), state.status().name(),
                applyingHold != null ? heldByGate(applyingHold) : detail(state));
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
        try (EventLog log = kafka.eventLog()) {
            states = log.snapshot().states();
            chosen = selection.empty() ? new ArrayList<>(states.values()) : selection.select(states, unknown);
            gateHolds = gateHoldsFor(chosen, log);
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
            if (list) {
                lines.add(line(s, gateHold));
            }
        }
        Status status = new Status(chosen.size(), byStatus, byTenant, paused, held, heldByGate, awaiting, unprotected, lines);
        PrintWriter out = spec.commandLine().getOut();
        unknown.forEach(d -> spec.commandLine().getErr().println("status: " + d + " is not in the event log"));
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
        if (list) {
            out.println();
            lines.forEach(l -> out.printf("%-40s %-12s %-14s %s%n", l.domain(), l.tenant(), l.status(), l.detail()));
        }
        return unknown.isEmpty() ? 0 : 1;
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
