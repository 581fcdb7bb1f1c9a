package dev.mxshift.operator;

import dev.mxshift.model.event.FixesApproved;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.FixPlan;
import dev.mxshift.model.workflow.IllegalTransitionException;
import dev.mxshift.model.workflow.LegacyFixes;
import dev.mxshift.model.workflow.MigrationState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ./mxshift fixes}: the fix plan of each selected domain (decision 0036), from the legacy references the last
 * {@code sweep --record} found: the compare-and-set steps mxshift would run after the MX migration, their rollback, the
 * checksum to approve, and the references left to people with why. {@code --approve CHECKSUM} appends the approval for
 * the domains whose fix plan has that checksum; the services then apply, verify and (on a rollback) undo the steps.
 */
@Command(name = "fixes", mixinStandardHelpOptions = true,
        description = {"Show the fix plan of migrated domains' legacy references (from sweep --record), or approve it by its checksum.",
                "A CNAME aliasing the domain's own legacy host is changed to alias its mx.microsoft host, as a compare-and-set"
                        + " verified on every authoritative server; a rollback of the domain restores the swept record exactly."
                        + " Everything else is listed for people, with the record to change."},
        footer = {"", "Exit codes: 0 shown, or every approval recorded; 1 a domain was refused or had nothing to approve; 2 bad arguments;"
                + " 3 Kafka unreachable.", "",
                "Examples:", "  fixes relaytown.com", "  fixes --tenant tenant-relaytown --status COMPLETED",
                "  fixes relaytown.com --approve 8d0d17ecc09f0a57d1d6101c6e792640d3a0a0c149e484c11bb5a3d418c708c1 --wait 120"})
final class FixesCommand extends EventLogCommand implements Callable<Integer> {

    @Mixin
    Selection selection;

    @Option(names = "--approve", paramLabel = "CHECKSUM", split = ",",
            description = "approve the fix plans with these checksums (as shown); a domain whose fix plan has another checksum is refused")
    List<String> approve = new ArrayList<>();

    /** {@code --json} prints the fix plans too; {@code --wait} is for the approvals. */
    @Mixin
    ChangeResults results;

    /** A fix plan as shown and as JSON. */
    record Shown(String domain, String tenant, String status, String checksum, String notYet, List<String> steps, List<String> rollback,
                 List<ForPeople> forPeople) {
    }

    record ForPeople(String record, String kind, String confidence, String whyNotAutomatic, String fix) {
    }

    static Shown shown(MigrationState state) {
        FixPlan plan = LegacyFixes.planFor(state);
        return new Shown(state.domain().value(), state.tenant() == null ? null : state.tenant().value(), state.status().name(),
                plan.steps().isEmpty() ? null : plan.checksum(), plan.notYet(),
                plan.steps().stream().map(PlanStep::describe).toList(), plan.rollback().stream().map(PlanStep::describe).toList(),
                plan.forPeople().stream().map(p -> new ForPeople(p.reference().record(), p.reference().kind(),
                        p.reference().confidence().toLowerCase(Locale.ROOT), p.whyNotAutomatic(), p.reference().fix())).toList());
    }

    /** The approval for one domain: its fix plan's steps, if the checksum is one the operator approved. */
    static OperatorAction.Decision approval(MigrationState state, Set<String> checksums, EventFactory events) {
        FixPlan plan = LegacyFixes.planFor(state);
        if (plan.steps().isEmpty()) {
            return new OperatorAction.Refused("no legacy reference of it has a safe automatic fix (see fixes " + state.domain() + ")");
        }
        if (!checksums.contains(plan.checksum())) {
            return new OperatorAction.Refused("its fix plan has checksum " + plan.checksum() + ", which is not among those approved;"
                    + " show it with: fixes " + state.domain());
        }
        try {
            return new OperatorAction.Append(events.next(state, new FixesApproved(plan.steps(), plan.checksum()), state.lastEventId()));
        } catch (IllegalTransitionException e) {
            return new OperatorAction.Refused("cannot approve its fixes: " + e.getMessage());
        }
    }

    @Override
    public Integer call() {
        if (selection.empty()) {
            throw new IllegalArgumentException("name the domains, or select them with --tenant, --status or --all; e.g. fixes relaytown.com");
        }
        for (String checksum : approve) {
            if (!checksum.toLowerCase(Locale.ROOT).matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("--approve " + checksum + " is not a fix plan checksum (the 64 hex digits fixes printed)");
            }
        }
        PrintWriter out = out();
        try (EventLog log = kafka.eventLog()) {
            if (approve.isEmpty()) {
                return show(log, out);
            }
            Set<String> checksums = Set.copyOf(approve.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList());
            Map<String, Operations.Result> approved = new Operations(log).apply((state, events) -> approval(state, checksums, events),
                    selection, state -> true, dev.mxshift.discovery.inventory.ImportCommand.cliActor(), results.waitTime(),
                    events -> new Progress(System.err, "approve fixes", events)::at);
            results.print(out, approved);
            boolean allDone = !approved.isEmpty() && approved.values().stream().allMatch(r -> r.outcome().equals("done"));
            return allDone ? 0 : 1;
        }
    }

    private int show(EventLog log, PrintWriter out) {
        List<String> unknown = new ArrayList<>();
        List<MigrationState> chosen = selection.select(new LinkedHashMap<>(log.snapshot().states()), unknown);
        List<Shown> plans = chosen.stream().map(FixesCommand::shown).toList();
        if (results.json) {
            out.println(Json.write(plans));
        } else {
            unknown.forEach(d -> out.println(d + ": no such domain in the event log (imported?)"));
            plans.forEach(p -> print(out, p));
        }
        return unknown.isEmpty() ? 0 : 1;
    }

    private static void print(PrintWriter out, Shown p) {
        out.println(p.domain() + (p.tenant() == null ? "" : " (" + p.tenant() + ")") + ", " + p.status() + ": "
                + (p.steps().isEmpty() ? "nothing to fix automatically" : p.steps().size() + " fix step" + (p.steps().size() == 1 ? "" : "s")
                + ", checksum " + p.checksum()));
        for (int i = 0; i < p.steps().size(); i++) {
            out.println("  " + (i + 1) + " " + p.steps().get(i));
        }
        if (!p.rollback().isEmpty()) {
            out.println("  rollback (first, when the domain is rolled back):");
            p.rollback().forEach(r -> out.println("    " + r));
        }
        if (!p.steps().isEmpty()) {
            out.println(p.notYet() == null ? "  approve with: ./mxshift fixes " + p.domain() + " --approve " + p.checksum()
                    : "  not yet: " + p.notYet());
        }
        for (ForPeople f : p.forPeople()) {
            out.println("  for people: " + f.record() + " (" + f.kind() + ", " + f.confidence() + ")");
            out.println("      not automatic: " + f.whyNotAutomatic());
            out.println("      fix: " + f.fix());
        }
    }
}
