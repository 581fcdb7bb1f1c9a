package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dnssec.DsStatus;
import dev.mxshift.model.dnssec.ParentPath;
import dev.mxshift.model.dnssec.ZoneKeys;
import dev.mxshift.model.dnssec.ZoneSigningPlan;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.Evidence;
import dev.mxshift.model.event.ExternalActionConfirmed;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.PlanGenerated;
import dev.mxshift.model.event.RetryMode;
import dev.mxshift.model.event.RetryRequested;
import dev.mxshift.model.event.RollbackRequested;
import dev.mxshift.model.event.StepApplied;
import dev.mxshift.model.event.StepVerificationFailed;
import dev.mxshift.model.event.StepVerified;
import dev.mxshift.model.event.UnsignedZonePolicy;
import dev.mxshift.model.plan.ExternalAction;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.RollbackPlanner;
import dev.mxshift.model.plan.StagedPlan;
import dev.mxshift.model.plan.StepPurpose;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DNSSEC stage as given/when/then over events: sign, verify, chain, migrate; and invariant 6 at every step. */
class DnssecStageTest {

    private static final DomainName ZONE = DomainName.of("northwind.example");
    private static final DomainName MANUAL_ZONE = DomainName.of("manual-tailspin.example");

    private static DomainHistory requested(DomainName zone) {
        DomainHistory history = DomainHistory.of(zone);
        history.add(new MigrationRequested(ProviderRef.of("powerdns-lab", zone.value()), Fixtures.targetHostOf(zone), "wave-1",
                List.of(), "inventory", false, UnsignedZonePolicy.SIGN));
        return history;
    }

    /** Cooperates until the next action is of the given kind (or nothing more happens). */
    private static DomainHistory until(DomainHistory history, Class<? extends NextAction> kind, Class<? extends PlanStep> stepKind) {
        for (int i = 0; i < 200; i++) {
            NextAction next = Workflow.next(history.state());
            PlanStep step = next instanceof NextAction.ApplyStep a ? a.planStep() : next instanceof NextAction.VerifyStep v ? v.planStep() : null;
            if (kind.isInstance(next) && (stepKind == null || stepKind.isInstance(step))) {
                return history;
            }
            MigrationEvent e = CooperativeWorld.successorOf(history.state());
            if (e == null) {
                break;
            }
            history.add(e);
        }
        throw new AssertionError("never reached " + kind.getSimpleName() + " of " + stepKind + ": " + Workflow.next(history.state()));
    }

    private static void assertViolation(DomainHistory history, MigrationEvent event, Violation expected) {
        MigrationState before = history.state();
        assertThatThrownBy(() -> history.add(event))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> assertThat(e.violation()).isEqualTo(expected));
        assertThat(history.state()).isEqualTo(before);
    }

    private static ZoneKeys otherKeys() {
        return new ZoneKeys(List.of(4242), List.of("4242 13 2 " + "AB".repeat(32)));
    }

    @Test
    void anUnsignedZoneIsSignedVerifiedAndChainedBeforeItsMxMoves() {
        DomainHistory history = requested(ZONE);
        CooperativeWorld.runUntilStopped(history);

        MigrationState done = history.state();
        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
        List<PlanStep> steps = done.plan().steps();
        assertThat(steps.get(0)).isInstanceOf(PlanStep.SignZone.class);
        assertThat(steps.get(1)).isEqualTo(new PlanStep.Wait(StepPurpose.WAIT_KEY_CACHES, 3600));
        assertThat(steps.get(2)).isEqualTo(new PlanStep.PublishDs(StepPurpose.PUBLISH_DS, ZONE, DomainName.of("example"), ParentPath.CDS));
        assertThat(steps.subList(3, steps.size())).noneMatch(PlanStep::dnssec);
        assertThat(done.dnssec().ds()).isEqualTo(DsStatus.CHAINED);
        assertThat(done.dnssec().keysVerified()).isTrue();
        assertThat(done.dnssec().signedByMxshift()).isTrue();
        assertThat(done.dnssec().keys().largestSignatureTtl()).isEqualTo(3600);
        assertThat(done.dnssec().keys().dsTtl()).isEqualTo(86400);
        // the checksum a person reviewed covers the DNSSEC steps
        assertThat(done.plan().checksum()).isNotEqualTo(Fixtures.microsoftPlan(done.discoveredMx(), done.targetHost()).checksum());
        assertThat(Workflow.replay(MigrationState.initial(ZONE), history.events())).isEqualTo(done);
    }

    @Test
    void theDsToPublishMustBeTheOneTheVerifiedKeysGive() {
        DomainHistory history = until(requested(ZONE), NextAction.ApplyStep.class, PlanStep.PublishDs.class);
        assertViolation(history, new StepApplied(Direction.FORWARD, 2, false, "cds", otherKeys()), Violation.DNSSEC_ORDER);
        history.add(new StepApplied(Direction.FORWARD, 2, false, "cds", history.state().dnssec().keys()));
        assertThat(history.state().dnssec().ds()).isEqualTo(DsStatus.SUBMITTED);
    }

    @Test
    void signingRecordsItsKeysAndTheVerificationMustSeeExactlyThem() {
        DomainHistory history = until(requested(ZONE), NextAction.ApplyStep.class, PlanStep.SignZone.class);
        assertViolation(history, new StepApplied(Direction.FORWARD, 0, false, "signed"), Violation.DNSSEC_ORDER);
        history.add(CooperativeWorld.successorOf(history.state()));
        assertThat(history.state().dnssec().keysVerified()).isFalse();
        assertViolation(history, new StepVerified(Direction.FORWARD, 0, List.of(new Evidence("ns1", "DNSKEY 4242")), otherKeys()),
                Violation.DNSSEC_ORDER);
        assertViolation(history, new StepVerified(Direction.FORWARD, 0, List.of()), Violation.DNSSEC_ORDER);
    }

    @Test
    void aSecondKeyIsNeverAccepted() {
        DomainHistory history = until(requested(ZONE), NextAction.ApplyStep.class, PlanStep.SignZone.class);
        ZoneKeys first = Fixtures.zoneKeys(ZONE);
        // The effect started, then the verification gave up; the operator retries from the failed step.
        history.add(new StepApplied(Direction.FORWARD, 0, false, "signed", first));
        history.add(new StepVerificationFailed(Direction.FORWARD, 0, "bind.lab has not transferred the signed zone", List.of()));
        history.add(new RetryRequested(RetryMode.FROM_FAILED_STEP, "operator"));
        assertThat(Workflow.next(history.state())).isInstanceOf(NextAction.VerifyStep.class);
        // A state that would apply the signing again (as a stale redelivery could) must not take other keys.
        MigrationState again = at(history.state(), Direction.FORWARD, null, 0, StepPhase.PENDING);
        assertThatThrownBy(() -> Workflow.emit(again, again.tenant(), new StepApplied(Direction.FORWARD, 0, true, "signed", otherKeys()),
                java.util.UUID.randomUUID(), null, DomainHistory.EPOCH, 5))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> assertThat(e.violation()).isEqualTo(Violation.DNSSEC_ORDER))
                .hasMessageContaining("a second key is never made");
        assertThat(Workflow.emit(again, again.tenant(), new StepApplied(Direction.FORWARD, 0, true, "signed", first),
                java.util.UUID.randomUUID(), null, DomainHistory.EPOCH, 5).state().dnssec().keys()).isEqualTo(first);
    }

    @Test
    void aManualDsIsShownToTheOperatorAndVerifiedAtTheParentAfterTheConfirmation() {
        DomainHistory history = until(requested(MANUAL_ZONE), NextAction.ApplyStep.class, PlanStep.PublishDs.class);
        history.add(CooperativeWorld.successorOf(history.state()));
        assertThat(Workflow.next(history.state()))
                .isEqualTo(new NextAction.AwaitExternalConfirmation(Direction.FORWARD, 2, ExternalAction.SUBMIT_DS_AT_REGISTRAR));
        assertViolation(history, new ExternalActionConfirmed(Direction.FORWARD, 2, ExternalAction.ENABLE_SMTP_DANE_INBOUND, "op"),
                Violation.WRONG_STEP_KIND);
        history.add(new ExternalActionConfirmed(Direction.FORWARD, 2, ExternalAction.SUBMIT_DS_AT_REGISTRAR, "op"));
        // the operator's word is not proof: the step is verified at the parent, not advanced
        assertThat(history.state().stepIndex()).isEqualTo(2);
        assertThat(history.state().phase()).isEqualTo(StepPhase.APPLIED);
        assertThat(history.state().dnssec().ds()).isEqualTo(DsStatus.SUBMITTED);
        assertThat(Workflow.next(history.state())).isInstanceOf(NextAction.VerifyStep.class);

        // a typo at the registrar: the parent serves a DS no key matches; the domain stops, and a retry checks again
        history.add(new StepVerificationFailed(Direction.FORWARD, 2, "BOGUS: the parent serves a DS that matches no key; publish "
                + history.state().dnssec().keys().ds(), List.of()));
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.FAILED);
        history.add(new RetryRequested(RetryMode.FROM_FAILED_STEP, "operator"));
        assertThat(Workflow.next(history.state())).isInstanceOf(NextAction.VerifyStep.class);
        CooperativeWorld.runUntilStopped(history);
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(history.state().dnssec().ds()).isEqualTo(DsStatus.CHAINED);
    }

    @Test
    void rollingBackTheMxLeavesTheZoneSignedAndChained() {
        DomainHistory history = requested(ZONE);
        CooperativeWorld.runUntilStopped(history);
        history.add(new RollbackRequested("operator", "customer asked"));
        assertThat(history.state().rollbackSteps()).noneMatch(PlanStep::dnssec);
        CooperativeWorld.runUntilStopped(history);
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.ROLLED_BACK);
        assertThat(history.state().dnssec().ds()).isEqualTo(DsStatus.CHAINED);
    }

    @Test
    void unsigningWithdrawsTheDsWaitsOutEveryCacheAndOnlyThenStopsSigning() {
        DomainHistory history = requested(ZONE);
        CooperativeWorld.runUntilStopped(history);
        history.add(new RollbackRequested("operator", "customer asked", true));
        List<PlanStep> rollback = history.state().rollbackSteps();
        int n = rollback.size();
        assertThat(rollback.subList(n - 3, n)).containsExactly(
                new PlanStep.WithdrawDs(StepPurpose.WITHDRAW_DS, ZONE, DomainName.of("example"), ParentPath.CDS),
                new PlanStep.Wait(StepPurpose.WAIT_DS_CACHES, 86_400 + 3_600),
                new PlanStep.UnsignZone(StepPurpose.UNSIGN_ZONE, ZONE));
        CooperativeWorld.runUntilStopped(history);
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.ROLLED_BACK);
        assertThat(history.state().dnssec().ds()).isEqualTo(DsStatus.NONE);
        assertThat(history.state().dnssec().keys()).isNull();
    }

    @Test
    void signingIsNeverStoppedWhileTheParentMayStillServeTheDs() {
        DomainHistory history = requested(ZONE);
        CooperativeWorld.runUntilStopped(history);
        MigrationState chained = history.state();
        MigrationState unsignNow = at(chained, Direction.ROLLBACK, List.of(new PlanStep.UnsignZone(StepPurpose.UNSIGN_ZONE, ZONE)), 0,
                StepPhase.PENDING);
        assertThatThrownBy(() -> Workflow.emit(unsignNow, unsignNow.tenant(), new StepApplied(Direction.ROLLBACK, 0, false, "unsigned"),
                java.util.UUID.randomUUID(), null, DomainHistory.EPOCH, 5))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> assertThat(e.violation()).isEqualTo(Violation.DNSSEC_ORDER))
                .hasMessageContaining("CHAINED");
    }

    @Test
    void aZoneSignedByItsProviderIsChainedNotResigned() {
        ZoneSigningPlan chain = ZoneSigningPlan.chain(ZONE, DomainName.of("example"), ParentPath.CDS);
        StagedPlan plan = Fixtures.microsoftPlan(Fixtures.legacyMx(ZONE), Fixtures.targetHostOf(ZONE), chain);
        assertThat(plan.steps().get(0)).isEqualTo(new PlanStep.VerifyZoneSigned(StepPurpose.VERIFY_ZONE_SIGNED, ZONE));
        assertThat(plan.steps()).noneMatch(s -> s instanceof PlanStep.SignZone);
        // and its rollback, even with unsign, withdraws the DS but never unsigns what mxshift did not sign
        List<PlanStep> rollback = RollbackPlanner.rollbackOf(plan, plan.steps().size(), null, true);
        assertThat(rollback).noneMatch(s -> s instanceof PlanStep.UnsignZone);
        assertThat(rollback).anyMatch(s -> s instanceof PlanStep.WithdrawDs);
    }

    @Test
    void thePlanMustRunTheStageThePreflightDecidedAndNoOther() {
        DomainHistory signing = until(requested(ZONE), NextAction.GeneratePlan.class, null);
        MigrationState s = signing.state();
        assertViolation(signing, PlanGenerated.of(Fixtures.microsoftPlan(s.discoveredMx(), s.targetHost())), Violation.PLAN_MISMATCH);

        DomainHistory plain = until(startPlain(), NextAction.GeneratePlan.class, null);
        MigrationState p = plain.state();
        assertViolation(plain, PlanGenerated.of(Fixtures.microsoftPlan(p.discoveredMx(), p.targetHost(),
                ZoneSigningPlan.sign(Fixtures.DOMAIN, DomainName.of("com"), ParentPath.CDS))), Violation.PLAN_MISMATCH);
    }

    private static DomainHistory startPlain() {
        DomainHistory history = DomainHistory.of(Fixtures.DOMAIN);
        history.add(CooperativeWorld.request(Fixtures.DOMAIN));
        return history;
    }

    @Test
    void aPlanCannotPublishADsBeforeSigningNorUndoTheStageGoingForward() {
        var discovered = Fixtures.legacyMx(ZONE);
        var target = Fixtures.targetHostOf(ZONE);
        List<PlanStep> steps = new ArrayList<>(Fixtures.microsoftPlan(discovered, target).steps());
        steps.add(0, new PlanStep.PublishDs(StepPurpose.PUBLISH_DS, ZONE, DomainName.of("example"), ParentPath.CDS));
        assertThatThrownBy(() -> new StagedPlan(ZONE, target, discovered, steps))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("invariant 6");
        List<PlanStep> undo = new ArrayList<>(Fixtures.microsoftPlan(discovered, target).steps());
        undo.add(0, new PlanStep.UnsignZone(StepPurpose.UNSIGN_ZONE, ZONE));
        assertThatThrownBy(() -> new StagedPlan(ZONE, target, discovered, undo))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("rollback");
    }

    /** A running state at a chosen step, as no legal history reaches it: for the fold's own guards. */
    private static MigrationState at(MigrationState b, Direction direction, List<PlanStep> rollback, int step, StepPhase phase) {
        return new MigrationState(b.domain(), b.tenant(), b.sequence(), b.lastEventId(),
                direction == Direction.ROLLBACK ? WorkflowStatus.ROLLING_BACK : WorkflowStatus.MIGRATING, false, b.provider(),
                b.targetHost(), b.classification(), b.discoveredMx(), b.liveMx(), b.plan(), direction, rollback, step, phase, null,
                b.forwardEffects(), b.newMxVerified(), null, List.of(), b.mtaSts(), b.wave(), false, 0, b.unsignedZone(), b.warnings(),
                b.signing(), b.dnssec(), b.legacyReferences());
    }
}
