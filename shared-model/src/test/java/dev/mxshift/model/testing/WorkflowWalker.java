package dev.mxshift.model.testing;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.event.ApplyFailureKind;
import dev.mxshift.model.event.Cancelled;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.DiscoveryFailed;
import dev.mxshift.model.event.DiscoverySnapshot;
import dev.mxshift.model.event.ExternalActionConfirmed;
import dev.mxshift.model.event.FailureKind;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationCompleted;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MigrationFailed;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.event.Paused;
import dev.mxshift.model.event.PlanGenerated;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.event.PreflightPassed;
import dev.mxshift.model.event.Resumed;
import dev.mxshift.model.event.RetryMode;
import dev.mxshift.model.event.RetryRequested;
import dev.mxshift.model.event.RollbackRequested;
import dev.mxshift.model.event.RolledBack;
import dev.mxshift.model.event.StepApplied;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.event.StepVerificationFailed;
import dev.mxshift.model.event.StepVerified;
import dev.mxshift.model.event.WaitElapsed;
import dev.mxshift.model.plan.ExternalAction;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StagedPlan;
import dev.mxshift.model.plan.StepPurpose;
import dev.mxshift.model.workflow.IllegalTransitionException;
import dev.mxshift.model.workflow.MigrationState;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Walks one domain's workflow by a list of choices. Each choice either lets the world cooperate (the owner of
 * the next action succeeds) or picks one of many other events: failures, operator actions, and hostile events
 * (wrong steps, false completions, arbitrary plans). Illegal events are refused by the workflow and counted;
 * only accepted ones enter the history. Deterministic for a given list of choices.
 */
public final class WorkflowWalker {

    private static final DomainName DOMAIN = Fixtures.DOMAIN;
    private static final DomainName LEGACY = Fixtures.LEGACY_HOST;
    private static final DomainName TARGET = Fixtures.TARGET_HOST;
    private static final DomainName GATEWAY = DomainName.of("mx1.gateway.example");

    public record Walk(DomainHistory history, List<MigrationState> states, int rejected) {
    }

    private WorkflowWalker() {
    }

    public static Walk walk(List<Integer> choices) {
        DomainHistory history = DomainHistory.of(DOMAIN);
        // Every other walk is of an unsigned zone under the sign policy, so the DNSSEC stage is walked as much as the rest.
        boolean signs = !choices.isEmpty() && Math.floorMod(choices.get(0), 2) == 0;
        history.add(signs ? new dev.mxshift.model.event.MigrationRequested(Fixtures.PROVIDER, TARGET, "wave-1", List.of(),
                "inventory", false, dev.mxshift.model.event.UnsignedZonePolicy.SIGN) : CooperativeWorld.request(DOMAIN));
        List<MigrationState> states = new ArrayList<>(List.of(history.state()));
        int rejected = 0;
        for (int choice : choices) {
            MigrationEvent event = pick(history.state(), choice);
            if (event == null) {
                continue;
            }
            try {
                history.add(event);
                states.add(history.state());
            } catch (IllegalTransitionException e) {
                rejected++;
            }
        }
        return new Walk(history, states, rejected);
    }

    private static MigrationEvent pick(MigrationState s, int choice) {
        MigrationEvent cooperative = CooperativeWorld.successorOf(s);
        if (choice % 10 < 8 && cooperative != null) {
            return cooperative;
        }
        // A person usually answers a stopped or paused domain; sometimes they do something else.
        if (choice % 10 < 9 && s.paused()) {
            return new Resumed("op");
        }
        if (choice % 10 < 9 && s.status().stopped()) {
            return new RetryRequested(RetryMode.FROM_FAILED_STEP, "op");
        }
        Random random = new Random(choice);
        List<Supplier<MigrationEvent>> others = others(s, random);
        return others.get(random.nextInt(others.size())).get();
    }

    private static List<Supplier<MigrationEvent>> others(MigrationState s, Random r) {
        Direction dir = r.nextInt(4) == 0 ? Direction.values()[r.nextInt(2)] : s.direction();
        int step = r.nextInt(3) == 0 ? r.nextInt(10) : s.stepIndex();
        return List.of(
                () -> new DiscoveryFailed(FailureKind.values()[r.nextInt(2)], "lookup failed"),
                () -> new dev.mxshift.model.event.TargetAssigned(dev.mxshift.model.testing.Fixtures.targetHostOf(s.domain()), "import"),
                () -> new Discovered(otherSnapshot(r)),
                () -> new PreflightPassed(List.of()),
                () -> new PreflightBlocked(List.of(new Finding("ZONE_BOGUS", "the zone is bogus", "fix the DS"))),
                () -> randomPlan(s, r),
                () -> new StepApplied(dir, step, r.nextBoolean(), ""),
                () -> new StepApplyFailed(dir, step, ApplyFailureKind.values()[r.nextInt(4)], "provider said no",
                        actualOrAbsent(randomMx(r))),
                () -> new StepVerified(dir, step, List.of()),
                () -> new StepVerificationFailed(dir, step, "not seen", List.of()),
                () -> new WaitElapsed(dir, step),
                () -> new ExternalActionConfirmed(dir, step, ExternalAction.values()[r.nextInt(4)], "op"),
                () -> new MigrationCompleted(r.nextBoolean() && s.liveMx() != null ? s.liveMx() : randomMx(r)),
                () -> new RolledBack(r.nextBoolean() && s.liveMx() != null ? s.liveMx() : randomMx(r)),
                () -> new MigrationFailed("gave up"),
                () -> new RetryRequested(RetryMode.values()[r.nextInt(2)], "op"),
                () -> new Paused("op", ""),
                () -> new Resumed("op"),
                () -> new Cancelled("op", ""),
                () -> new RollbackRequested("op", ""),
                () -> new RollbackRequested("op", "", true),
                // the DNSSEC stage's hostile or mistaken events: other keys, a DS for them, a confirmation out of turn
                () -> new StepApplied(dir, step, r.nextBoolean(), "", new dev.mxshift.model.dnssec.ZoneKeys(List.of(4242),
                        List.of("4242 13 2 " + "AB".repeat(32)))),
                () -> new StepVerified(dir, step, List.of(), r.nextBoolean() ? Fixtures.zoneKeys(s.domain())
                        : new dev.mxshift.model.dnssec.ZoneKeys(List.of(4242), List.of("4242 13 2 " + "AB".repeat(32)))),
                () -> new ExternalActionConfirmed(dir, step, r.nextBoolean() ? ExternalAction.SUBMIT_DS_AT_REGISTRAR
                        : ExternalAction.REMOVE_DS_AT_REGISTRAR, "op"),
                () -> new dev.mxshift.model.event.AwaitingExternalAction(dir, step, ExternalAction.SUBMIT_DS_AT_REGISTRAR, "submit"));
    }

    private static dev.mxshift.model.dns.RecordSet actualOrAbsent(MxRecordSet mx) {
        return mx.isEmpty() ? null : mx.toRecordSet();
    }

    private static DiscoverySnapshot otherSnapshot(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> new DiscoverySnapshot(MxClassification.NO_MX, "no MX", null, List.of(), List.of(), false, false);
            case 1 -> new DiscoverySnapshot(MxClassification.THIRD_PARTY_GATEWAY, "gateway",
                    MxRecordSet.of(DOMAIN, 3600, new MxRecord(10, GATEWAY)), List.of(), List.of(), true, true);
            default -> new DiscoverySnapshot(MxClassification.LEGACY_WITH_FALLBACK, "fallback",
                    MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, LEGACY), new MxRecord(20, GATEWAY)), List.of(), List.of(), true, true);
        };
    }

    private static MxRecordSet randomMx(Random r) {
        List<MxRecord> records = new ArrayList<>();
        DomainName[] hosts = {LEGACY, TARGET, GATEWAY};
        int[] preferences = {0, 10, 20, 30};
        for (DomainName host : hosts) {
            if (r.nextInt(3) > 0) {
                records.add(new MxRecord(preferences[r.nextInt(4)], host));
            }
        }
        return new MxRecordSet(DOMAIN, r.nextBoolean() ? 300 : 3600, records);
    }

    /** An arbitrary plan: often unsafe or inconsistent, in which case it cannot even be built. */
    private static MigrationEvent randomPlan(MigrationState s, Random r) {
        MxRecordSet start = s.discoveredMx() != null && r.nextInt(4) > 0 ? s.discoveredMx() : randomMx(r);
        List<PlanStep> steps = new ArrayList<>();
        MxRecordSet live = start;
        int count = 1 + r.nextInt(6);
        try {
            for (int i = 0; i < count; i++) {
                switch (r.nextInt(5)) {
                    case 0 -> steps.add(new PlanStep.Wait(StepPurpose.WAIT_OLD_TTL, r.nextInt(4000)));
                    case 1 -> steps.add(new PlanStep.External(StepPurpose.ENABLE_SMTP_DANE_INBOUND, ExternalAction.ENABLE_SMTP_DANE_INBOUND));
                    case 2 -> steps.add(new PlanStep.VerifyDane(StepPurpose.VERIFY_DANE, TARGET));
                    default -> {
                        MxRecordSet target = randomMx(r);
                        MxRecordSet before = r.nextInt(5) > 0 ? live : randomMx(r);
                        steps.add(new PlanStep.ChangeMx(StepPurpose.ADD_NEW_MX, before, target));
                        live = target;
                    }
                }
            }
            return PlanGenerated.of(new StagedPlan(DOMAIN, TARGET, start, steps));
        } catch (InvalidValueException unsafeOrInconsistent) {
            return null;
        }
    }
}
