package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.GateHold;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Watches a migration until every domain has settled (finished, or stopped with a reason), showing progress, and
 * ends with a report: outcome per classification, the stopped domains with their reasons, time taken. With
 * {@code --confirm-external} it also confirms the Microsoft-side action of every domain waiting for it, as the
 * demo does in the lab (where the TLSA records are already published).
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Show live progress until every domain is finished or stopped, then a report.",
        footer = {"", "Exit 0 when every domain completed or was stopped by discovery or preflight with a reason; 1 when a",
                "domain failed or conflicted, or time ran out.", "", "Examples:", "  watch --expect 1000", "  watch --expect 1000 --confirm-external --timeout 1800"})
final class WatchCommand extends EventLogCommand implements Callable<Integer> {

    static final java.time.Duration WATCH_PATIENCE = java.time.Duration.ofSeconds(60);

    @Option(names = "--expect", paramLabel = "N", defaultValue = "0", description = "wait until at least N domains are in the log")
    int expect;

    @Option(names = "--confirm-external", description = "confirm the Microsoft-side action for domains waiting for it (lab and demo);"
            + " never a DS at the registrar: see --lab-registrar")
    boolean confirmExternal;

    @Option(names = "--lab-registrar", paramLabel = "ENDPOINTS_JSON", description = "the lab only: play the registrar's desk for domains"
            + " whose DS goes to the parent by hand (publish or remove it in the lab's parent zone, then confirm)")
    java.nio.file.Path labRegistrar;

    @Option(names = "--bogus-monitor", paramLabel = "IP:PORT", description = "ask this validating resolver once a second for every zone in"
            + " the DNSSEC stage (its SOA, its MX and a name never asked before) and report every SERVFAIL; any makes the run not clean")
    String bogusMonitor;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600", description = "give up after this long (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "3", description = "seconds between refreshes (default: ${DEFAULT-VALUE})")
    long interval;

    @Option(names = "--import", paramLabel = "INVENTORY", description = "import this inventory first (as ./mxshift import does), then watch;"
            + " with --mail, after the sender's first round, so that every domain is mailed from before its import")
    java.nio.file.Path importFile;

    @Option(names = "--mail", paramLabel = "ENDPOINTS_JSON", description = "the lab only: its DANE-validating sender mails every mailable domain"
            + " of --import's inventory round after round until every domain settled; the report ends with the mail-flow line, and a message"
            + " bounced, lost or stored twice makes the run not clean (docs/lab.md, Mail flow)")
    java.nio.file.Path mail;

    @Option(names = "--mail-interval", paramLabel = "SECONDS", defaultValue = "0", description = "seconds between the sender's rounds"
            + " (default: one second per ten mailable domains, at least 5)")
    long mailInterval;

    @Option(names = "--mail-rollbacks", paramLabel = "N", defaultValue = "1", description = "with --mail: roll back N completed domains once"
            + " their mail reached the new host, to show it going back (default: ${DEFAULT-VALUE})")
    int mailRollbacks;

    @Option(names = "--mail-replays", paramLabel = "N", defaultValue = "1", description = "with --mail: freeze the zones of N mailable"
            + " domains at the lab's BIND before the import (rndc freeze), so that the push service's write is refused and they stop; once"
            + " their mail has been seen at the legacy host meanwhile, thaw and replay them (default: ${DEFAULT-VALUE})")
    int mailReplays;

    @Option(names = "--mail-details", paramLabel = "FILE", description = "with --mail: write every mailed domain's endpoints before, during"
            + " and after its move, as JSON")
    java.nio.file.Path mailDetails;

    @Option(names = "--chaos", paramLabel = "DIR", description = "a chaos loop's directory (./mxshift demo --chaos): when every domain has"
            + " settled, create DIR/stop, wait for DIR/done and put DIR/log's lines into the report")
    java.nio.file.Path chaos;

    @Option(names = "--json", description = "print the final report as JSON")
    boolean json;

    @Option(names = "--list", description = "the report lists every stopped domain, one line each (by default: one line per reason)")
    boolean list;

    /** {@code stoppedByReason} groups {@code stopped} by reason code ({@link StoppedGroups}). */
    record Report(int domains, long seconds, Map<String, Map<WorkflowStatus, Integer>> byClassification,
                  Map<WorkflowStatus, Integer> byStatus, List<StatusCommand.Line> stopped, List<StoppedGroups.Group> stoppedByReason,
                  int onHold, List<String> notDaneProtected, boolean success, Dnssec dnssec,
                  Map<String, LegacyReferenceCounts> legacyReferencesByTenant) {
    }

    /**
     * The DNSSEC stage in the report: zones mxshift signed and chained (and how many through each connector), zones it
     * chained as their provider had signed them, domains waiting for a person to put their DS at the registrar, and what
     * the bogus monitor saw (null without one): its rounds (every zone in the stage once each; fewer rounds than seconds
     * means it could not ask each zone every second), its queries, the ones the resolver did not answer in time (not
     * SERVFAILs, but a clean count with many is suspect), and the SERVFAILs.
     */
    record Dnssec(int signedAndChained, Map<String, Integer> signedPerConnector, int chained, List<String> awaitingDsAtRegistrar,
                  Long monitorRounds, Long monitorQueries, Long monitorUnanswered, Long monitorServfails, Map<String, Long> servfailsPerZone,
                  Map<String, Integer> byPhase) {
    }

    /** Waiting for a person to put a DS at the registrar, or to remove it: nothing more happens without them. */
    static boolean awaitingRegistrar(MigrationState s) {
        return Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation a
                && (a.action() == dev.mxshift.model.plan.ExternalAction.SUBMIT_DS_AT_REGISTRAR
                || a.action() == dev.mxshift.model.plan.ExternalAction.REMOVE_DS_AT_REGISTRAR);
    }

    @Override
    public Integer call() throws InterruptedException {
        // A watch runs beside the migration it follows: a broker busy with it (a 100,000-domain import on two cores took
        // longer than a command's 10 s to answer, bench/dry-run) is waited for a minute before the watch gives up.
        try (EventLog log = kafka.eventLog(WATCH_PATIENCE)) {
            return watch(log);
        }
    }

    private int watch(EventLog log) throws InterruptedException {
        PrintWriter err = err();
        if (mail != null && importFile == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--mail needs --import INVENTORY: the sender mails from before the import");
        }
        MailFlowRun mailFlow = null;
        if (mail != null) {
            try {
                mailFlow = new MailFlowRun(mail, inventoryDomains(importFile), mailInterval, mailReplays, err).start();
            } catch (java.io.IOException e) {
                err.println("watch: could not start the mail flow: " + e.getMessage());
                return 2;
            }
        }
        try {
            if (importFile != null) {
                var result = dev.mxshift.discovery.inventory.ImportCommand.importFiles(List.of(importFile),
                        kafka.connection.settings(), kafka.eventsTopic, "demo");
                if (result.fileRejected() || result.brokerFailure() != null) {
                    err.println("watch: the import failed" + (result.brokerFailure() == null ? "" : ": " + result.brokerFailure()));
                    return result.brokerFailure() == null ? 1 : 3;
                }
            }
            return watch(log, err, mailFlow);
        } finally {
            if (mailFlow != null) {
                mailFlow.close();
            }
        }
    }

    /** The domains of an inventory CSV (a header naming a "domain" column), canonical. */
    static List<String> inventoryDomains(java.nio.file.Path file) {
        try {
            List<String> rows = java.nio.file.Files.readAllLines(file);
            List<String> header = List.of(rows.get(0).toLowerCase(java.util.Locale.ROOT).split(","));
            int column = header.indexOf("domain");
            if (column < 0) {
                throw new IllegalArgumentException(file + ":1: domain: the header names no domain column");
            }
            return rows.stream().skip(1).filter(r -> !r.isBlank()).map(r -> DomainName.of(r.split(",")[column].strip()).value()).distinct().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not read " + file, e);
        }
    }

    private int watch(EventLog log, PrintWriter err, MailFlowRun mailFlow) throws InterruptedException {
        Instant start = Instant.now();
        java.util.concurrent.atomic.AtomicReference<List<String>> inStage = new java.util.concurrent.atomic.AtomicReference<>(List.of());
        dev.mxshift.lab.BogusMonitor monitor = bogusMonitor == null ? null : monitor(bogusMonitor, inStage);
        dev.mxshift.operator.system.LabRegistrarDesk desk = labRegistrar == null ? null : new dev.mxshift.operator.system.LabRegistrarDesk(labRegistrar);
        try {
            return watch(log, err, start, inStage, monitor, desk, mailFlow);
        } finally {
            if (monitor != null) {
                monitor.close();
            }
        }
    }

    private dev.mxshift.lab.BogusMonitor monitor(String address, java.util.concurrent.atomic.AtomicReference<List<String>> zones) {
        int colon = address.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("--bogus-monitor takes the validating resolver as IP:PORT, got '" + address + "'");
        }
        return new dev.mxshift.lab.BogusMonitor(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), zones::get,
                Duration.ofSeconds(timeoutSeconds + 60)).start();
    }

    private int watch(EventLog log, PrintWriter err, Instant start, java.util.concurrent.atomic.AtomicReference<List<String>> inStage,
                      dev.mxshift.lab.BogusMonitor monitor, dev.mxshift.operator.system.LabRegistrarDesk desk, MailFlowRun mailFlow)
            throws InterruptedException {
        Map<DomainName, MigrationState> states;
        boolean settled;
        int confirmed = 0;
        int rolledBack = 0;
        Instant rollbackGiveUp = null;
        while (true) {
            EventLog.Snapshot snapshot = log.snapshot();
            states = snapshot.states();
            if (mailFlow != null) {
                mailFlow.observe(states, Instant.now());
            }
            // the monitor watches a zone from when its plan (with the DNSSEC stage) exists: asking for a zone's MX before
            // discovery would give discovery a cached answer whose TTL has run down
            inStage.set(states.values().stream().filter(s -> s.plan() != null && s.plan().steps().stream().anyMatch(
                    dev.mxshift.model.plan.PlanStep::dnssec)).map(s -> s.domain().value()).toList());
            StatusCounts all = StatusCounts.of(states.values());
            Map<WorkflowStatus, Integer> counts = all.byStatus();
            settled = states.size() >= expect && states.values().stream().allMatch(WatchCommand::settled);
            long elapsed = Duration.between(start, Instant.now()).toSeconds();
            if (mailFlow != null) {
                // a write the provider refused (the zone frozen), replayed as an operator would once the zone is thawed
                List<EventEnvelope> replays = mailFlow.replay().step(states, Instant.now(), mailFlow::deliveredSince,
                        new EventFactory(java.time.Clock.systemUTC()));
                if (!replays.isEmpty()) {
                    log.appendAndConfirm(snapshot, replays, Duration.ofSeconds(5), n -> { });
                }
                settled = settled && replays.isEmpty() && !mailFlow.replay().pending();
            }
            if (mailFlow != null && rolledBack < mailRollbacks && mailFlow.anyRollbackPossible(states)) {
                // an operator's rollback, once a completed domain's mail has reached the new host, so the mail is seen going back
                var candidate = mailFlow.rollbackCandidate(states);
                if (candidate.isPresent() && OperatorAction.ROLLBACK.decide(candidate.get(), "demo", "mail-flow demo: mail goes back to the legacy host",
                        new EventFactory(java.time.Clock.systemUTC())) instanceof OperatorAction.Append a) {
                    EventLog.Outcome outcome = log.appendAndConfirm(snapshot, List.of(a.event().causedBy(dev.mxshift.discovery.inventory.ImportCommand.cliActor())),
                            Duration.ofSeconds(5), n -> { }).get(candidate.get().domain());
                    if (outcome != null && outcome.appended()) {
                        err.printf("         rolling back %s (its mail reached the new host; the report shows it going back)%n", candidate.get().domain());
                        rolledBack++;
                    } else if (outcome == EventLog.Outcome.ALREADY_IN_LOG) {
                        // an earlier look's rollback of this domain, not applied yet: it is the one asked for, not another
                        err.printf("         rollback of %s already in the log, not yet applied%n", candidate.get().domain());
                        rolledBack++;
                    } else {
                        // the domain moved on since this look (LOST_RACE): the next look decides again
                        err.printf("         rollback of %s not appended (%s); looking again%n", candidate.get().domain(), outcome);
                    }
                    settled = false;
                } else if (settled) {
                    rollbackGiveUp = rollbackGiveUp == null ? Instant.now().plusSeconds(2 * mailFlow.intervalSeconds() + 60) : rollbackGiveUp;
                    if (Instant.now().isBefore(rollbackGiveUp)) {
                        settled = false;
                    } else {
                        err.println("         no completed domain's mail reached the new host in time: no rollback shown");
                        rolledBack = mailRollbacks;
                    }
                }
            }
            Map<DomainName, GateHold> holds = StatusCommand.gateHoldsFor(states.values(), log);
            long gated = states.values().stream().filter(s -> StatusCommand.holdOn(s, holds) != null).count();
            err.printf("[%4d s] %,d domains: %s%s%s%n", elapsed, states.size(), counts,
                    gated > 0 ? String.format("; %,d of the READY held by the wave gate", gated) : "",
                    all.byDnssec().isEmpty() ? "" : "; DNSSEC " + all.byDnssec());
            if (settled || elapsed > timeoutSeconds) {
                break;
            }
            if (confirmExternal || desk != null) {
                List<EventEnvelope> confirmations = new ArrayList<>();
                int atDesk = 0;
                for (MigrationState s : states.values()) {
                    if (!(Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation)) {
                        continue;
                    }
                    boolean registrar = awaitingRegistrar(s);
                    if (registrar && desk != null) {
                        try {
                            if (!desk.act(s)) {
                                continue;
                            }
                        } catch (java.io.IOException e) {
                            err.println("         the lab's registrar desk failed for " + s.domain() + ": " + e.getMessage());
                            continue;
                        }
                        atDesk++;
                    } else if (registrar || !confirmExternal) {
                        continue;
                    }
                    if (OperatorAction.CONFIRM.decide(s, "demo", null, new EventFactory(java.time.Clock.systemUTC())) instanceof OperatorAction.Append a) {
                        confirmations.add(a.event().causedBy(dev.mxshift.discovery.inventory.ImportCommand.cliActor()));
                    }
                }
                if (!confirmations.isEmpty()) {
                    // a confirmation still in the log from an earlier look (the services down or behind) is not appended again
                    Map<DomainName, EventLog.Outcome> outcomes = log.appendAndConfirm(snapshot, confirmations, Duration.ofSeconds(1), n -> { });
                    long again = outcomes.values().stream().filter(o -> o == EventLog.Outcome.ALREADY_IN_LOG).count();
                    // a domain that moved on since this look (another operator confirmed it, or it stopped) took no confirmation
                    long movedOn = outcomes.values().stream().filter(o -> o == EventLog.Outcome.LOST_RACE).count();
                    err.printf("         confirming %,d action(s): %,d Microsoft-side (in the lab the TLSA records are already published), %,d DS"
                                    + " at the lab's registrar desk%s%s%n", confirmations.size(), confirmations.size() - atDesk, atDesk,
                            again == 0 ? "" : String.format("; %,d already confirmed in the log, not yet applied", again),
                            movedOn == 0 ? "" : String.format("; %,d not confirmed: the domain had moved on", movedOn));
                    confirmed += (int) outcomes.values().stream().filter(EventLog.Outcome::appended).count();
                }
            }
            Thread.sleep(interval * 1000);
        }
        Report report = report(states, Duration.between(start, Instant.now()).toSeconds(), settled,
                monitor == null ? null : monitor.stop());
        List<String> chaosLines = chaos == null ? List.of() : endChaos(err);
        MailFlowVerdict verdict = mailFlow == null ? null : mailFlow.finish(Instant.now(), states);
        print(report, confirmed);
        PrintWriter out = out();
        chaosLines.forEach(out::println);
        if (verdict != null) {
            if (mailDetails != null) {
                try {
                    java.nio.file.Files.writeString(mailDetails, Json.write(verdict.domains()));
                } catch (java.io.IOException e) {
                    err.println("watch: could not write " + mailDetails + ": " + e.getMessage());
                }
            }
            verdict.details().forEach(out::println);
            out.println(verdict.line());
        }
        return report.success() && (verdict == null || verdict.clean()) ? 0 : 1;
    }

    /** Tells the chaos loop to stop, waits until it has (a restart in flight finishes first), and returns its log. */
    private List<String> endChaos(PrintWriter err) throws InterruptedException {
        try {
            java.nio.file.Files.createDirectories(chaos);
            java.nio.file.Files.writeString(chaos.resolve("stop"), "");
            if (!ConditionWait.fileAppears(chaos, "done", Duration.ofSeconds(240))) {
                err.println("watch: the chaos loop did not stop within 240 s");
            }
            java.nio.file.Path log = chaos.resolve("log");
            return java.nio.file.Files.exists(log) ? java.nio.file.Files.readAllLines(log) : List.of();
        } catch (java.io.IOException e) {
            err.println("watch: could not read the chaos loop's log: " + e.getMessage());
            return List.of();
        }
    }

    /** Ended, stopped for an operator, or on hold until started: nothing more happens without a person. */
    static boolean settled(MigrationState s) {
        return s.status().terminal() || (s.status().stopped() && !s.paused()) || s.held() || awaitingRegistrar(s) && !s.paused();
    }

    static Report report(Map<DomainName, MigrationState> states, long seconds, boolean settled) {
        return report(states, seconds, settled, null);
    }

    static Report report(Map<DomainName, MigrationState> states, long seconds, boolean settled, dev.mxshift.lab.BogusMonitor.Report monitor) {
        Map<String, Map<WorkflowStatus, Integer>> byClassification = new TreeMap<>();
        List<StatusCommand.Line> stopped = new ArrayList<>();
        boolean clean = settled;
        int onHold = 0;
        List<String> unprotected = new ArrayList<>();
        for (MigrationState s : states.values()) {
            onHold += s.held() ? 1 : 0;
            if (StatusCommand.notDaneProtected(s) && !s.status().stopped()) {
                unprotected.add(s.domain().value());
            }
            String c = s.classification() == null ? "not discovered" : s.classification().name();
            byClassification.computeIfAbsent(c, k -> new EnumMap<>(WorkflowStatus.class)).merge(s.status(), 1, Integer::sum);
            if (s.status().stopped()) {
                stopped.add(StatusCommand.line(s, null));
            }
            if (s.status() == WorkflowStatus.FAILED || s.status() == WorkflowStatus.CONFLICT) {
                clean = false;
            }
        }
        java.util.Collections.sort(unprotected);
        int signed = 0;
        Map<String, Integer> signedPerConnector = new java.util.TreeMap<>();
        int chained = 0;
        List<String> awaitingDs = new ArrayList<>();
        for (MigrationState s : states.values()) {
            if (s.dnssec() != null && s.dnssec().ds() == dev.mxshift.model.dnssec.DsStatus.CHAINED) {
                if (s.dnssec().signedByMxshift()) {
                    signed++;
                    signedPerConnector.merge(s.provider().connectorId(), 1, Integer::sum);
                } else {
                    chained++;
                }
            }
            if (awaitingRegistrar(s)) {
                awaitingDs.add(s.domain().value());
            }
        }
        java.util.Collections.sort(awaitingDs);
        if (monitor != null && monitor.servfails() > 0) {
            clean = false;
        }
        Map<String, Integer> byPhase = StatusCounts.of(states.values()).byDnssec();
        Dnssec dnssec = monitor == null ? new Dnssec(signed, signedPerConnector, chained, awaitingDs, null, null, null, null, Map.of(), byPhase)
                : new Dnssec(signed, signedPerConnector, chained, awaitingDs, monitor.rounds(), monitor.queries(), monitor.unanswered(),
                monitor.servfails(), monitor.servfailsPerZone(), byPhase);
        return new Report(states.size(), seconds, byClassification, counts(states), stopped, StoppedGroups.of(states.values()), onHold,
                unprotected, clean, dnssec, LegacyReferenceCounts.byTenant(states.values()));
    }

    private void print(Report r, int confirmed) {
        PrintWriter out = out();
        if (json) {
            out.println(Json.write(r));
        } else {
            print(r, confirmed, list, out);
        }
    }

    /** The report for a person; with {@code list}, a line per stopped domain instead of a line per reason. */
    static void print(Report r, int confirmed, boolean list, PrintWriter out) {
        out.printf("%nmxshift report: %,d domains in %d s%s%n", r.domains(), r.seconds(),
                confirmed > 0 ? String.format(" (%,d Microsoft-side confirmations given by the watcher)", confirmed) : "");
        out.println("outcome per classification:");
        r.byClassification().forEach((c, m) -> out.printf("  %-24s %s%n", c, m));
        printStopped(r, list, out);
        if (!r.notDaneProtected().isEmpty()) {
            out.printf("moved with an unsigned zone, %s (%,d): %s%n", StatusCommand.NOT_DANE_PROTECTED, r.notDaneProtected().size(),
                    r.notDaneProtected().size() <= 20 ? String.join(", ", r.notDaneProtected())
                            : String.join(", ", r.notDaneProtected().subList(0, 20)) + ", ... (status --list shows all)");
        }
        Dnssec d = r.dnssec();
        if (d != null && (d.signedAndChained() + d.chained() + d.awaitingDsAtRegistrar().size() > 0 || d.monitorQueries() != null
                || !d.byPhase().isEmpty())) {
            out.printf("DNSSEC stage: %,d zone(s) signed and chained%s, %,d chained as their provider had signed them, %,d waiting for their DS at"
                    + " the registrar%s%n", d.signedAndChained(), d.signedPerConnector().isEmpty() ? "" : d.signedPerConnector().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", ", " (at ", ")")),
                    d.chained(), d.awaitingDsAtRegistrar().size(),
                    d.awaitingDsAtRegistrar().isEmpty() ? "" : " (./mxshift ds-export lists them; submit, then confirm)");
            if (!d.byPhase().isEmpty()) {
                out.println("DNSSEC phases: " + StatusCommand.dnssecCounts(d.byPhase()));
            }
            if (d.monitorQueries() != null) {
                out.printf("bogus monitor: %,d queries to the validating resolver in %,d rounds, %,d unanswered, %,d SERVFAIL%s%n",
                        d.monitorQueries(), d.monitorRounds(), d.monitorUnanswered(), d.monitorServfails(),
                        d.servfailsPerZone().isEmpty() ? "" : " " + d.servfailsPerZone());
            }
        }
        if (r.onHold() > 0) {
            out.printf("on hold since the import, waiting to be started (./mxshift start --held ...): %,d%n", r.onHold());
        }
        if (r.legacyReferencesByTenant() != null && !r.legacyReferencesByTenant().isEmpty()) {
            out.println(LegacyReferenceCounts.HEADING);
            r.legacyReferencesByTenant().forEach((tenant, c) -> out.println(LegacyReferenceCounts.line(tenant, c)));
        }
        out.println(r.success() ? "every domain completed or is explained" : "NOT clean: a domain failed or conflicted, or the migration did not settle");
    }

    /** The stopped domains: a line per reason with its count and action, or with {@code list} a line per domain. */
    static void printStopped(Report r, boolean list, PrintWriter out) {
        if (list) {
            out.printf("stopped with a reason (%,d):%n", r.stopped().size());
            r.stopped().forEach(l -> out.printf("  %-40s %-16s %s%n", l.domain(), l.status(), l.detail()));
        } else {
            out.printf("stopped with a reason (%,d), by reason (watch --list or status --list: every domain):%n", r.stopped().size());
            StoppedGroups.print(r.stoppedByReason(), out);
        }
    }

    private static Map<WorkflowStatus, Integer> counts(Map<DomainName, MigrationState> states) {
        return StatusCounts.of(states.values()).byStatus();
    }
}
