package dev.mxshift.validation.propagation;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.Evidence;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.StepVerificationFailed;
import dev.mxshift.model.event.StepVerified;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.validation.dane.DaneCheck;
import dev.mxshift.validation.dane.DaneVerdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The validation service's pure decision after a step was pushed: verified only if every authoritative server of
 * the zone serves exactly the step's target (data and TTL), with authority, with a signature that verifies where
 * the zone is signed, and a SOA serial at least the expected one; and, where the step leaves Microsoft's new host
 * in the MX set or asks for DANE, the host passes DANE (invariant 2: the legacy MX goes only after the new one was
 * verified from outside). Every server's answer is kept as evidence either way.
 */
public final class StepVerifier {

    private StepVerifier() {
    }

    /** What a step must leave behind: the record set (null: none) and the host whose DANE must hold (null: none). */
    public record Expectation(RecordSet recordSet, String owner, String type, DomainName daneHost) {
    }

    public static Expectation expectationOf(PlanStep step, DomainName targetHost) {
        if (step instanceof PlanStep.ChangeMx change) {
            boolean leavesTarget = targetHost != null && change.target().hosts().contains(targetHost);
            return new Expectation(change.target().toRecordSet(), change.target().owner().value(), "MX", leavesTarget ? targetHost : null);
        }
        if (step instanceof PlanStep.ChangeRecordSet change) {
            RecordSet any = change.target() != null ? change.target() : change.expectedBefore();
            return new Expectation(change.target(), any.owner(), any.type(), null);
        }
        if (step instanceof PlanStep.VerifyDane verify) {
            return new Expectation(null, null, null, verify.host());
        }
        throw new IllegalArgumentException("a " + step.getClass().getSimpleName() + " step is not verified from outside");
    }

    public static MigrationEvent decide(Direction direction, int step, Expectation expected, List<ServerAnswer> answers,
                                        long minimumSerial, DaneCheck.Report dane) {
        List<Evidence> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (expected.owner() != null) {
            if (answers.isEmpty()) {
                problems.add("no authoritative server was asked");
            }
            for (ServerAnswer answer : answers) {
                evidence.add(new Evidence(answer.server(), answer.describe()));
                String problem = problem(answer, expected.recordSet(), minimumSerial);
                if (problem != null) {
                    problems.add(answer.server() + " " + problem);
                }
            }
        }
        if (expected.daneHost() != null) {
            if (dane == null) {
                problems.add("DANE of " + expected.daneHost() + " was not checked");
            } else {
                evidence.add(new Evidence("DANE " + expected.daneHost() + (dane.probed().isEmpty() ? "" : " at " + dane.probed()),
                        dane.verdict().getClass().getSimpleName() + ": " + dane.verdict()));
                if (!(dane.verdict() instanceof DaneVerdict.Validated)) {
                    problems.add(expected.daneHost() + " does not pass DANE (" + dane.verdict().getClass().getSimpleName() + ")");
                }
            }
        }
        return problems.isEmpty() ? new StepVerified(direction, step, evidence)
                : new StepVerificationFailed(direction, step, String.join("; ", problems), evidence);
    }

    private static String problem(ServerAnswer answer, RecordSet expected, long minimumSerial) {
        if (answer.failure() != null) {
            return "did not answer";
        }
        if (!answer.authoritative()) {
            return "answers without authority (it does not serve the zone)";
        }
        if (expected == null) {
            return answer.served() == null ? null : "still serves " + answer.served();
        }
        if (answer.served() == null) {
            return "does not serve " + expected.owner() + " " + expected.type() + " yet";
        }
        if (!same(answer.served(), expected)) {
            return "serves " + answer.served() + ", not " + expected;
        }
        if (Boolean.FALSE.equals(answer.signatureValid())) {
            return "serves it with a bad signature (" + answer.signatureDetail() + ")";
        }
        if (answer.soaSerial() < minimumSerial) {
            return "has SOA serial " + answer.soaSerial() + ", older than " + minimumSerial;
        }
        return null;
    }

    private static boolean same(RecordSet served, RecordSet expected) {
        if (!served.type().equals(expected.type()) || served.ttl() != expected.ttl()) {
            return false;
        }
        // Names in MX and CNAME data compare without case (RFC 4343); other data, such as TXT strings, exactly.
        return served.type().equals("MX") || served.type().equals("CNAME") ? lower(served.rdata()).equals(lower(expected.rdata()))
                : served.rdata().equals(expected.rdata());
    }

    private static List<String> lower(List<String> rdata) {
        return rdata.stream().map(r -> r.toLowerCase(Locale.ROOT)).sorted().toList();
    }
}
