package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.MigrationState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command that changes domains: selects them, decides per domain, appends, and confirms from the state topic. A
 * domain whose event lost a race with a service's event of the same sequence is decided again from its new state
 * (up to three rounds), so an operator's pause is never silently dropped.
 */
abstract class ChangeCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    Selection selection;

    @Option(names = "--by", paramLabel = "WHO", defaultValue = "${env:USER:-operator}", description = "who acts, recorded in the event (default: $USER)")
    String by;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why, recorded in the event")
    String reason;

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long to wait for the services to record each change (default: ${DEFAULT-VALUE})")
    long waitSeconds;

    @Spec
    CommandSpec spec;

    abstract OperatorAction action();

    /** One domain's result. */
    record Result(String domain, String tenant, String outcome, String detail) {
    }

    @Override
    public Integer call() {
        if (selection.empty()) {
            throw new IllegalArgumentException("name the domains, or select them with --tenant, --status, --failed-because, "
                    + "--awaiting-confirmation or --all; e.g. " + spec.name() + " --tenant contoso --status FAILED");
        }
        EventLog log = kafka.eventLog();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Result> results = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        EventLog.Snapshot snapshot = log.snapshot();
        List<MigrationState> chosen = selection.select(snapshot.states(), unknown);
        unknown.forEach(d -> results.put(d, new Result(d, null, "unknown", "no such domain in the event log (imported?)")));
        for (int round = 1; round <= 3 && !chosen.isEmpty(); round++) {
            List<EventEnvelope> events = new ArrayList<>();
            for (MigrationState state : chosen) {
                OperatorAction.Decision d = action().decide(state, by, reason, Instant.now());
                if (d instanceof OperatorAction.Append a) {
                    events.add(a.event());
                } else {
                    results.put(state.domain().value(), new Result(state.domain().value(), tenant(state), "refused", ((OperatorAction.Refused) d).why()));
                }
            }
            if (events.isEmpty()) {
                break;
            }
            Progress progress = new Progress(System.err, action().words(), events.size());
            Map<DomainName, EventLog.Outcome> outcomes = log.appendAndConfirm(snapshot, events, Duration.ofSeconds(waitSeconds), progress::at);
            progress.end(outcomes.size());
            List<DomainName> lost = new ArrayList<>();
            for (EventEnvelope e : events) {
                EventLog.Outcome o = outcomes.get(e.domain());
                if (o == EventLog.Outcome.LOST_RACE) {
                    lost.add(e.domain());
                    continue;
                }
                results.put(e.domain().value(), new Result(e.domain().value(), e.tenant().value(),
                        o == EventLog.Outcome.APPLIED ? "done" : "pending",
                        o == EventLog.Outcome.APPLIED ? OperatorAction.describe(e.state())
                                : "appended as event #" + e.sequence() + " but not recorded within " + waitSeconds
                                + " s; are the services running? It takes effect when they are"));
            }
            if (lost.isEmpty()) {
                break;
            }
            snapshot = log.snapshot();
            EventLog.Snapshot fresh = snapshot;
            chosen = lost.stream().map(d -> fresh.states().get(d)).filter(java.util.Objects::nonNull).toList();
            if (round == 3) {
                chosen.forEach(s -> results.put(s.domain().value(), new Result(s.domain().value(), tenant(s), "refused",
                        "the domain kept moving; try again")));
            }
        }
        print(out, results);
        long done = results.values().stream().filter(r -> r.outcome().equals("done")).count();
        if (results.isEmpty()) {
            spec.commandLine().getErr().println(spec.name() + ": no domain matches the selection");
            return 1;
        }
        return done == results.size() ? 0 : 1;
    }

    private void print(PrintWriter out, Map<String, Result> results) {
        if (json) {
            out.println(Json.write(results.values()));
            return;
        }
        for (Result r : results.values()) {
            out.printf("%-8s %s%s: %s%n", r.outcome(), r.domain(), r.tenant() == null ? "" : " (" + r.tenant() + ")", r.detail());
        }
        Map<String, Long> counts = new java.util.TreeMap<>();
        results.values().forEach(r -> counts.merge(r.outcome(), 1L, Long::sum));
        out.println(action().words() + ": " + counts);
    }

    private static String tenant(MigrationState s) {
        return s.tenant() == null ? null : s.tenant().value();
    }

    @Command(name = "confirm", mixinStandardHelpOptions = true,
            description = "Confirm the Microsoft-side action (Enable-SmtpDaneInbound, or its rollback) for domains waiting for it.",
            footer = {"", "Examples:", "  confirm contoso.com", "  confirm --tenant contoso --awaiting-confirmation"})
    static final class Confirm extends ChangeCommand {
        OperatorAction action() {
            return OperatorAction.CONFIRM;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Replay failed, conflicted, blocked or undiscovered domains from the step that failed.",
            footer = {"", "Fix the cause first (a provider that refused the write, a record edited by hand).", "",
                    "Examples:", "  replay contoso.com", "  replay --status FAILED --failed-because 'rate limit'",
                    "  replay --from-discovery --tenant contoso --status BLOCKED"})
    static final class Replay extends ChangeCommand {
        @Option(names = "--from-discovery", description = "look at the domain afresh and plan again (only while nothing was written)")
        boolean fromDiscovery;

        OperatorAction action() {
            return fromDiscovery ? OperatorAction.REPLAY_FROM_DISCOVERY : OperatorAction.REPLAY;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Stop new steps for domains; a step under way finishes and is recorded.",
            footer = {"", "Examples:", "  pause --tenant contoso --reason 'customer change freeze'", "  pause contoso.com"})
    static final class Pause extends ChangeCommand {
        OperatorAction action() {
            return OperatorAction.PAUSE;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume paused domains from where they stopped.",
            footer = {"", "Examples:", "  resume --tenant contoso", "  resume contoso.com"})
    static final class Resume extends ChangeCommand {
        OperatorAction action() {
            return OperatorAction.RESUME;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Stop domains' migrations for good; each keeps its current, mail-safe MX set.",
            footer = {"", "Examples:", "  cancel contoso.com --reason 'moving to another gateway'"})
    static final class Cancel extends ChangeCommand {
        OperatorAction action() {
            return OperatorAction.CANCEL;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Undo what was done, in Microsoft's rollback order, back to the discovered record set.",
            footer = {"", "Examples:", "  rollback contoso.com --reason 'mail loss reported'", "  rollback --tenant contoso --status COMPLETED"})
    static final class Rollback extends ChangeCommand {
        OperatorAction action() {
            return OperatorAction.ROLLBACK;
        }
    }
}
