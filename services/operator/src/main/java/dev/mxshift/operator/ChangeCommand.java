package dev.mxshift.operator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command that changes domains: selects them, decides per domain, appends, and confirms from the state topic. A
 * domain whose event lost a race with a service's event of the same sequence is decided again from its new state
 * (up to three rounds), so an operator's pause is never silently dropped.
 */
abstract class ChangeCommand extends EventLogCommand implements Callable<Integer> {

    @Mixin
    Selection selection;

    @Option(names = "--by", paramLabel = "WHO", defaultValue = "${env:USER:-operator}", description = "on whose behalf, recorded as text in the event (default: $USER); the event's actor is always the operating-system user running the command")
    String by;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why, recorded in the event")
    String reason;

    @Mixin
    ChangeResults results;

    abstract OperatorAction action();

    @Override
    public Integer call() {
        if (selection.empty()) {
            throw new IllegalArgumentException("name the domains, or select them with --tenant, --wave, --held, --status, --failed-because, "
                    + "--awaiting-confirmation or --all; e.g. " + spec.name() + " --tenant contoso --status FAILED");
        }
        PrintWriter out = out();
        Map<String, Operations.Result> results;
        try (EventLog log = kafka.eventLog()) {
            results = new Operations(log).apply(action(), selection, state -> true, by,
                    dev.mxshift.discovery.inventory.ImportCommand.cliActor(), reason, this.results.waitTime(), events -> {
                Progress progress = new Progress(System.err, action().words(), events);
                return progress::at;
            });
        }
        print(out, results);
        long done = results.values().stream().filter(r -> r.outcome().equals("done")).count();
        if (results.isEmpty()) {
            err().println(spec.name() + ": no domain matches the selection");
            return 1;
        }
        return done == results.size() ? 0 : 1;
    }

    private void print(PrintWriter out, Map<String, Operations.Result> results) {
        this.results.print(out, results);
        if (this.results.json) {
            return;
        }
        Map<String, Long> counts = new java.util.TreeMap<>();
        results.values().forEach(r -> counts.merge(r.outcome(), 1L, Long::sum));
        out.println(action().words() + ": " + counts);
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start domains imported on hold (import --hold): by wave, tenant, query or name.",
            footer = {"", "A domain not on hold is refused (it started at its import, or was started already).", "",
                    "Examples:", "  start --wave canary", "  start --tenant contoso --held", "  start contoso.com fabrikam.com"})
    static final class Start extends ChangeCommand {
        OperatorAction action() {
            return OperatorAction.START;
        }
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
            description = {"Undo what was done, in Microsoft's rollback order, back to the discovered record set.",
                    "A zone mxshift signed and chained stays signed unless --unsign is given: then its DS is withdrawn at the parent first,"
                            + " every cache that may hold it is waited out (the DS TTL plus the largest signature TTL), and only then does"
                            + " signing stop (never a bogus second)."},
            footer = {"", "Examples:", "  rollback contoso.com --reason 'mail loss reported'", "  rollback --tenant contoso --status COMPLETED",
                    "  rollback alpenhof.ch --unsign"})
    static final class Rollback extends ChangeCommand {
        @Option(names = "--unsign", description = "also undo the DNSSEC stage: withdraw the DS, wait out the caches, stop signing")
        boolean unsign;

        OperatorAction action() {
            return unsign ? OperatorAction.ROLLBACK_AND_UNSIGN : OperatorAction.ROLLBACK;
        }
    }
}
