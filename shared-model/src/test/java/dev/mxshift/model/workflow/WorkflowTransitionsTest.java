package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.ApplyFailureKind;
import dev.mxshift.model.event.Cancelled;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.DiscoveryFailed;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.FailureKind;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationCompleted;
import dev.mxshift.model.event.MigrationFailed;
import dev.mxshift.model.event.Paused;
import dev.mxshift.model.event.PlanGenerated;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.event.Resumed;
import dev.mxshift.model.event.RetryMode;
import dev.mxshift.model.event.RetryRequested;
import dev.mxshift.model.event.RollbackRequested;
import dev.mxshift.model.event.StepApplied;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.event.StepVerificationFailed;
import dev.mxshift.model.event.StepVerified;
import dev.mxshift.model.plan.ExternalAction;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StagedPlan;
import dev.mxshift.model.plan.StepPurpose;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.mxshift.model.testing.CooperativeWorld.successorOf;
import static dev.mxshift.model.testing.Fixtures.DOMAIN;
import static dev.mxshift.model.testing.Fixtures.LEGACY_HOST;
import static dev.mxshift.model.testing.Fixtures.TARGET_HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkflowTransitionsTest {

    /** A history whose plan is running and whose next step is {@code stepIndex}, pending. */
    private static DomainHistory migratingUpTo(int stepIndex) {
        DomainHistory history = DomainHistory.of(DOMAIN);
        while (history.state().status() != WorkflowStatus.MIGRATING || history.state().stepIndex() < stepIndex
                || history.state().phase() != StepPhase.PENDING) {
            history.add(successorOf(history.state()));
        }
        return history;
    }

    /** A running state at a chosen step, as no legal history would reach it: for testing the fold's own guards. */
    private static MigrationState withStep(MigrationState base, Direction direction, List<PlanStep> rollback, int step, boolean verified) {
        MigrationState.Builder b = base.toBuilder();
        b.paused = false;
        b.direction = direction;
        b.rollbackSteps = rollback;
        b.stepIndex = step;
        b.phase = StepPhase.PENDING;
        b.waitDueAt = null;
        b.newMxVerified = verified;
        b.failure = null;
        b.blockReasons = List.of();
        b.held = false;
        b.verifyAttempts = 0;
        return b.build();
    }

    private static void assertViolation(DomainHistory history, dev.mxshift.model.event.MigrationEvent event, Violation expected) {
        MigrationState before = history.state();
        assertThatThrownBy(() -> history.add(event))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> assertThat(e.violation()).isEqualTo(expected));
        assertThat(history.state()).isEqualTo(before);
    }

    @Nested
    class HappyPath {

        @Test
        void aMigrationEndsCompletedWithOnlyTheNewMxAtTheOriginalTtl() {
            DomainHistory history = CooperativeWorld.migrated(DOMAIN);

            MigrationState end = history.state();
            assertThat(end.status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(end.liveMx()).isEqualTo(MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, TARGET_HOST)));
            assertThat(end.newMxVerified()).isTrue();
            assertThat(end.sequence()).isEqualTo(history.events().size());
            assertThat(Workflow.next(end)).isInstanceOf(NextAction.Nothing.class);
        }

        @Test
        void eachStepIsOwnedByTheServiceTheBriefAssigns() {
            DomainHistory history = DomainHistory.of(DOMAIN);
            history.add(successorOf(history.state()));
            List<ServiceRole> owners = new ArrayList<>();
            for (var e = successorOf(history.state()); e != null; e = successorOf(history.state())) {
                owners.add(Workflow.next(history.state()).owner());
                history.add(e);
            }
            assertThat(owners).containsExactly(
                    ServiceRole.DISCOVERY, ServiceRole.VALIDATION, ServiceRole.RECORD_GENERATION,
                    ServiceRole.DNS_PUSH, ServiceRole.VALIDATION,                        // lower TTL
                    ServiceRole.DNS_PUSH, ServiceRole.DNS_PUSH,                          // wait: schedule, fire
                    ServiceRole.DNS_PUSH, ServiceRole.VALIDATION,                        // add new MX at 20
                    ServiceRole.DNS_PUSH, ServiceRole.VALIDATION,                        // promote
                    ServiceRole.DNS_PUSH, ServiceRole.VALIDATION,                        // remove legacy
                    ServiceRole.DNS_PUSH, ServiceRole.VALIDATION,                        // restore TTL
                    ServiceRole.DNS_PUSH, ServiceRole.OPERATOR,                          // Enable-SmtpDaneInbound
                    ServiceRole.VALIDATION,                                              // verify DANE
                    ServiceRole.VALIDATION);                                             // completed
        }

        @Test
        void everyCarriedStateEqualsTheFoldOfTheHistoryUpToIt() {
            DomainHistory history = CooperativeWorld.migrated(DOMAIN);
            MigrationState folded = MigrationState.initial(DOMAIN);
            for (EventEnvelope event : history.events()) {
                folded = Workflow.apply(folded, event);
                assertThat(event.state()).isEqualTo(folded);
            }
        }
    }

    @Nested
    class Sequencing {

        @Test
        void aDuplicateEventIsRejectedAsOutOfSequence() {
            DomainHistory history = migratingUpTo(0);
            EventEnvelope last = history.last();
            MigrationState state = history.state();
            assertThatThrownBy(() -> Workflow.apply(state, last))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                        assertThat(e.violation()).isEqualTo(Violation.OUT_OF_SEQUENCE);
                        assertThat(e.getMessage()).contains("stale or a duplicate");
                    });
        }

        @Test
        void aGapIsRejectedAsOutOfSequence() {
            DomainHistory history = migratingUpTo(0);
            EventEnvelope applied = Workflow.emit(history.state(), Fixtures.TENANT,
                    new StepApplied(Direction.FORWARD, 0, false, ""), DomainHistory.idOf(DOMAIN, 99), null,
                    DomainHistory.EPOCH, 1);
            EventEnvelope skipping = new EventEnvelope(applied.eventId(), DOMAIN, Fixtures.TENANT, applied.sequence() + 1,
                    null, applied.occurredAt(), 1, applied.payload(), applied.state());
            assertThatThrownBy(() -> Workflow.apply(history.state(), skipping))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                        assertThat(e.violation()).isEqualTo(Violation.OUT_OF_SEQUENCE);
                        assertThat(e.getMessage()).contains("missing");
                    });
        }

        @Test
        void anEventOfAnotherTenantIsRejected() {
            DomainHistory history = migratingUpTo(0);
            assertThatThrownBy(() -> Workflow.emit(history.state(), TenantId.of("someone-else"),
                    new StepApplied(Direction.FORWARD, 0, false, ""), DomainHistory.idOf(DOMAIN, 50), null, DomainHistory.EPOCH, 1))
                    .isInstanceOfSatisfying(IllegalTransitionException.class,
                            e -> assertThat(e.violation()).isEqualTo(Violation.WRONG_TENANT));
        }

        @Test
        void stepEventsMustNameTheCurrentStepPhaseAndDirection() {
            DomainHistory history = migratingUpTo(0);
            assertViolation(history, new StepApplied(Direction.FORWARD, 2, false, ""), Violation.WRONG_STEP);
            assertViolation(history, new StepVerified(Direction.FORWARD, 0, List.of()), Violation.WRONG_PHASE);
            assertViolation(history, new StepApplied(Direction.ROLLBACK, 0, false, ""), Violation.WRONG_DIRECTION);
            assertViolation(history, new MigrationCompleted(history.state().liveMx()), Violation.WRONG_STEP);
        }

        @Test
        void aWaitStepCannotBeAppliedAsIfItWrote() {
            DomainHistory history = migratingUpTo(1);
            assertThat(history.state().activeSteps().get(1)).isInstanceOf(PlanStep.Wait.class);
            assertViolation(history, new StepApplied(Direction.FORWARD, 1, false, ""), Violation.WRONG_STEP_KIND);
        }
    }

    @Nested
    class Invariants {

        @Test
        void removingTheLegacyMxBeforeTheNewOneWasVerifiedIsRefusedWhateverThePlanSays() {
            DomainHistory history = migratingUpTo(4);
            MigrationState atRemoval = history.state();
            assertThat(atRemoval.activeSteps().get(4).purpose()).isEqualTo(StepPurpose.REMOVE_LEGACY_MX);
            MigrationState unverified = withStep(atRemoval, Direction.FORWARD, null, 4, false);

            assertThatThrownBy(() -> Workflow.emit(unverified, Fixtures.TENANT, new StepApplied(Direction.FORWARD, 4, false, ""),
                    DomainHistory.idOf(DOMAIN, 77), null, DomainHistory.EPOCH, 1))
                    .isInstanceOfSatisfying(IllegalTransitionException.class,
                            e -> assertThat(e.violation()).isEqualTo(Violation.LEGACY_REMOVED_BEFORE_NEW_VERIFIED));
        }

        @Test
        void aWriteThatWouldLeaveNeitherTheLegacyNorTheVerifiedNewMxIsRefused() {
            DomainHistory history = migratingUpTo(4);
            MigrationState atRemoval = history.state();
            assertThat(atRemoval.newMxVerified()).isTrue();
            MxRecordSet gatewayOnly = MxRecordSet.of(DOMAIN, 300, new MxRecord(10, dev.mxshift.model.dns.DomainName.of("mx1.gateway.example")));
            StagedPlan plan = atRemoval.plan();
            List<PlanStep> steps = new ArrayList<>(plan.steps());
            PlanStep.ChangeMx removal = (PlanStep.ChangeMx) steps.get(4);
            // A state whose plan (built before the plan check existed, say) points step 4 elsewhere.
            MigrationState hostile = withStep(atRemoval, Direction.ROLLBACK,
                    List.of(new PlanStep.ChangeMx(StepPurpose.ROLLBACK, removal.expectedBefore(), gatewayOnly)), 0, true);

            assertThatThrownBy(() -> Workflow.emit(hostile, Fixtures.TENANT, new StepApplied(Direction.ROLLBACK, 0, false, ""),
                    DomainHistory.idOf(DOMAIN, 78), null, DomainHistory.EPOCH, 1))
                    .isInstanceOfSatisfying(IllegalTransitionException.class,
                            e -> assertThat(e.violation()).isEqualTo(Violation.LEGACY_REMOVED_BEFORE_NEW_VERIFIED));
        }

        @Test
        void theNewMxCountsAsVerifiedOnlyAfterTheStepThatAddedItWasVerified() {
            DomainHistory history = migratingUpTo(2);
            history.add(new StepApplied(Direction.FORWARD, 2, false, ""));
            assertThat(history.state().liveMx().hosts()).contains(TARGET_HOST);
            assertThat(history.state().newMxVerified()).isFalse();
            history.add(new StepVerified(Direction.FORWARD, 2, List.of()));
            assertThat(history.state().newMxVerified()).isTrue();
        }

        @Test
        void aPlanThatDoesNotStartFromTheDiscoveredSetIsRefused() {
            DomainHistory history = DomainHistory.of(DOMAIN);
            while (history.state().status() != WorkflowStatus.READY) {
                history.add(successorOf(history.state()));
            }
            MxRecordSet other = MxRecordSet.of(DOMAIN, 600, new MxRecord(10, LEGACY_HOST));
            assertViolation(history, PlanGenerated.of(Fixtures.microsoftPlan(other, TARGET_HOST)), Violation.PLAN_MISMATCH);
            var otherTarget = dev.mxshift.model.dns.DomainName.of("contoso-com.r-v1.mx.microsoft");
            assertViolation(history, PlanGenerated.of(Fixtures.microsoftPlan(history.state().discoveredMx(), otherTarget)),
                    Violation.PLAN_MISMATCH);
        }
    }

    @Nested
    class Failures {

        @Test
        void aDomainThatIsNotAtASingleLegacyMxCannotPassPreflight() {
            DomainHistory history = DomainHistory.of(DOMAIN);
            history.add(successorOf(history.state()));
            var gateway = MxRecordSet.of(DOMAIN, 3600, new MxRecord(10, dev.mxshift.model.dns.DomainName.of("mx1.gateway.example")));
            history.add(new dev.mxshift.model.event.Discovered(new dev.mxshift.model.event.DiscoverySnapshot(
                    dev.mxshift.model.event.MxClassification.THIRD_PARTY_GATEWAY, "MX at a filtering gateway", gateway,
                    List.of(), List.of(), true, true)));
            assertViolation(history, new dev.mxshift.model.event.PreflightPassed(List.of()), Violation.NOT_ELIGIBLE);
        }

        @Test
        void aConflictStopsTheDomainWithBothVersionsAndARetryRepeatsTheWrite() {
            DomainHistory history = migratingUpTo(0);
            var edited = MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, LEGACY_HOST), new MxRecord(50, dev.mxshift.model.dns.DomainName.of("backup.example.net")));
            history.add(new StepApplyFailed(Direction.FORWARD, 0, ApplyFailureKind.CONFLICT, "MX changed at the provider", edited.toRecordSet()));

            MigrationState conflict = history.state();
            assertThat(conflict.status()).isEqualTo(WorkflowStatus.CONFLICT);
            assertThat(conflict.failure().expected()).isEqualTo(Fixtures.legacyMx(DOMAIN).toRecordSet());
            assertThat(conflict.failure().actual()).isEqualTo(edited.toRecordSet());
            assertThat(conflict.liveMx()).isEqualTo(Fixtures.legacyMx(DOMAIN));
            assertThat(Workflow.next(conflict)).isInstanceOf(NextAction.AwaitOperator.class);

            history.add(new RetryRequested(RetryMode.FROM_FAILED_STEP, "operator"));
            assertThat(Workflow.next(history.state())).isInstanceOf(NextAction.ApplyStep.class);
            assertThat(history.state().failure()).isNull();
        }

        @Test
        void aFailedVerificationIsRetriedAsAVerificationNotASecondWrite() {
            DomainHistory history = migratingUpTo(2);
            history.add(new StepApplied(Direction.FORWARD, 2, false, ""));
            history.add(new StepVerificationFailed(Direction.FORWARD, 2, "ns2 still serves the old set", List.of()));
            assertThat(history.state().status()).isEqualTo(WorkflowStatus.FAILED);

            history.add(new RetryRequested(RetryMode.FROM_FAILED_STEP, "operator"));
            assertThat(Workflow.next(history.state())).isInstanceOf(NextAction.VerifyStep.class);
        }

        @Test
        void rediscoveryIsRefusedOnceAChangeTookEffectAndAllowedBefore() {
            DomainHistory early = migratingUpTo(0);
            early.add(new StepApplyFailed(Direction.FORWARD, 0, ApplyFailureKind.AUTHENTICATION, "401 from provider", null));
            early.add(new RetryRequested(RetryMode.FROM_DISCOVERY, "operator"));
            assertThat(early.state().status()).isEqualTo(WorkflowStatus.REQUESTED);
            assertThat(early.state().plan()).isNull();

            DomainHistory late = migratingUpTo(2);
            late.add(new StepApplyFailed(Direction.FORWARD, 2, ApplyFailureKind.PERMANENT, "422 from provider", null));
            assertViolation(late, new RetryRequested(RetryMode.FROM_DISCOVERY, "operator"), Violation.REDISCOVERY_AFTER_CHANGES);
        }

        @Test
        void blockedAndFailedDiscoveryGoBackToDiscoveryOnRetry() {
            DomainHistory blocked = DomainHistory.of(DOMAIN);
            blocked.add(successorOf(blocked.state()));
            blocked.add(successorOf(blocked.state()));
            blocked.add(new PreflightBlocked(List.of(new Finding("MTA_STS_WILDCARD", "policy lists *.mx.microsoft", "list the exact host"))));
            assertThat(Workflow.next(blocked.state())).isInstanceOfSatisfying(NextAction.AwaitOperator.class,
                    a -> assertThat(a.why()).contains("*.mx.microsoft"));
            blocked.add(new RetryRequested(RetryMode.FROM_FAILED_STEP, "operator"));
            assertThat(blocked.state().status()).isEqualTo(WorkflowStatus.REQUESTED);

            DomainHistory failed = DomainHistory.of(DOMAIN);
            failed.add(successorOf(failed.state()));
            failed.add(new DiscoveryFailed(FailureKind.RETRYABLE, "SERVFAIL from 127.0.1.1"));
            assertThat(failed.state().failure().category()).isEqualTo(Failure.Category.DISCOVERY_RETRYABLE);
            failed.add(new RetryRequested(RetryMode.FROM_FAILED_STEP, "retry-policy"));
            assertThat(Workflow.next(failed.state())).isInstanceOf(NextAction.Discover.class);
        }

        @Test
        void onlyAStoppedDomainCanBeRetriedAndAStoppedOneCannotFailAgain() {
            DomainHistory history = migratingUpTo(0);
            assertViolation(history, new RetryRequested(RetryMode.FROM_FAILED_STEP, "operator"), Violation.NOT_ALLOWED_IN_STATUS);
            history.add(new MigrationFailed("operator gave up"));
            assertViolation(history, new MigrationFailed("again"), Violation.NOT_ALLOWED_IN_STATUS);
        }
    }

    @Nested
    class OperatorControls {

        @Test
        void pauseHoldsNewStepsButRecordsTheResultOfOneUnderWay() {
            DomainHistory history = migratingUpTo(0);
            history.add(new Paused("operator", "change freeze"));
            assertThat(Workflow.next(history.state())).isInstanceOf(NextAction.AwaitOperator.class);
            assertViolation(history, new Paused("operator", "again"), Violation.ALREADY_PAUSED);

            history.add(new StepApplied(Direction.FORWARD, 0, false, "serial 2"));
            assertThat(history.state().paused()).isTrue();
            assertThat(history.state().phase()).isEqualTo(StepPhase.APPLIED);

            history.add(new Resumed("operator"));
            assertThat(Workflow.next(history.state())).isInstanceOf(NextAction.VerifyStep.class);
            assertViolation(history, new Resumed("operator"), Violation.NOT_PAUSED);
        }

        @Test
        void aDomainImportedOnHoldWaitsUntilStartedAndKeepsItsWave() {
            DomainHistory history = DomainHistory.of(DOMAIN);
            history.add(new dev.mxshift.model.event.MigrationRequested(dev.mxshift.model.testing.Fixtures.PROVIDER,
                    dev.mxshift.model.testing.Fixtures.targetHostOf(DOMAIN), "wave-7", List.of(), "csv", true));
            assertThat(history.state().held()).isTrue();
            assertThat(history.state().wave()).isEqualTo("wave-7");
            assertThat(Workflow.next(history.state())).isInstanceOfSatisfying(NextAction.AwaitOperator.class,
                    a -> assertThat(a.why()).contains("on hold"));

            history.add(new dev.mxshift.model.event.Started("operator"));
            assertThat(history.state().held()).isFalse();
            assertThat(history.state().wave()).isEqualTo("wave-7");
            assertThat(Workflow.next(history.state())).isInstanceOf(NextAction.Discover.class);
            assertViolation(history, new dev.mxshift.model.event.Started("operator"), Violation.NOT_HELD);
        }

        @Test
        void aDomainNotOnHoldCannotBeStartedAndAHeldOneCanBeCancelled() {
            DomainHistory running = DomainHistory.of(DOMAIN);
            running.add(successorOf(running.state()));
            assertViolation(running, new dev.mxshift.model.event.Started("operator"), Violation.NOT_HELD);

            DomainHistory held = DomainHistory.of(DOMAIN);
            held.add(new dev.mxshift.model.event.MigrationRequested(dev.mxshift.model.testing.Fixtures.PROVIDER, null, null, List.of(), "csv", true));
            held.add(new Cancelled("operator", "not this one"));
            assertThat(held.state().status()).isEqualTo(WorkflowStatus.CANCELLED);
            assertThat(held.state().held()).isFalse();
        }

        @Test
        void aStepNotSeenYetIsCheckedAgainByATimerAndTheAttemptsCount() {
            DomainHistory history = migratingUpTo(0);
            history.add(new StepApplied(Direction.FORWARD, 0, false, "serial 2"));
            java.time.Instant due = DomainHistory.EPOCH.plusSeconds(600);
            history.add(new dev.mxshift.model.event.VerificationRetryScheduled(Direction.FORWARD, 0, 1, due, "ns2 still serves the old set", List.of()));
            assertThat(history.state().phase()).isEqualTo(StepPhase.VERIFY_WAITING);
            assertThat(Workflow.next(history.state())).isEqualTo(new NextAction.AwaitReverification(Direction.FORWARD, 0,
                    history.state().activeSteps().get(0), due));
            assertViolation(history, new dev.mxshift.model.event.VerificationRetryScheduled(Direction.FORWARD, 0, 3, due, "skips one", List.of()),
                    Violation.WRONG_PHASE);
            history.add(new dev.mxshift.model.event.VerificationRetryScheduled(Direction.FORWARD, 0, 2, due.plusSeconds(60), "still", List.of()));
            assertThat(history.state().verifyAttempts()).isEqualTo(2);

            history.add(new StepVerified(Direction.FORWARD, 0, List.of()));
            assertThat(history.state().stepIndex()).isEqualTo(1);
            assertThat(history.state().verifyAttempts()).isZero();
            assertThat(history.state().phase()).isEqualTo(StepPhase.PENDING);
        }

        @Test
        void aVerificationThatGivesUpAfterReChecksIsRetriedAfresh() {
            DomainHistory history = migratingUpTo(0);
            history.add(new StepApplied(Direction.FORWARD, 0, false, "serial 2"));
            history.add(new dev.mxshift.model.event.VerificationRetryScheduled(Direction.FORWARD, 0, 1, DomainHistory.EPOCH, "not yet", List.of()));
            history.add(new StepVerificationFailed(Direction.FORWARD, 0, "gave up", List.of()));
            assertThat(history.state().status()).isEqualTo(WorkflowStatus.FAILED);
            history.add(new RetryRequested(RetryMode.FROM_FAILED_STEP, "operator"));
            assertThat(history.state().phase()).isEqualTo(StepPhase.APPLIED);
            assertThat(history.state().verifyAttempts()).isZero();
            assertThat(Workflow.next(history.state())).isInstanceOf(NextAction.VerifyStep.class);
        }

        @Test
        void cancelIsFinal() {
            DomainHistory history = migratingUpTo(2);
            history.add(new Cancelled("operator", "customer leaves"));
            assertThat(Workflow.next(history.state())).isInstanceOf(NextAction.Nothing.class);
            assertViolation(history, new StepApplied(Direction.FORWARD, 2, false, ""), Violation.NOT_ALLOWED_IN_STATUS);
            assertViolation(history, new RollbackRequested("operator", ""), Violation.NOT_ALLOWED_IN_STATUS);
        }

        @Test
        void rollingBackACompletedMigrationRestoresTheDiscoveredSetExactly() {
            DomainHistory history = CooperativeWorld.migrated(DOMAIN);
            history.add(new RollbackRequested("operator", "customer request"));

            List<PlanStep> rollback = history.state().activeSteps();
            assertThat(rollback.get(0)).isEqualTo(new PlanStep.External(StepPurpose.ROLLBACK, ExternalAction.DISABLE_SMTP_DANE_INBOUND));
            CooperativeWorld.runUntilStopped(history);

            assertThat(history.state().status()).isEqualTo(WorkflowStatus.ROLLED_BACK);
            assertThat(history.state().liveMx()).isEqualTo(Fixtures.legacyMx(DOMAIN));
        }

        @Test
        void rollingBackHalfWayUndoesOnlyWhatWasWritten() {
            DomainHistory history = migratingUpTo(3);
            history.add(new StepApplied(Direction.FORWARD, 3, false, ""));  // promoted, not yet verified
            history.add(new RollbackRequested("operator", "TLSA mismatch reported"));

            List<PlanStep> rollback = history.state().activeSteps();
            assertThat(rollback).hasSize(3).allMatch(PlanStep::writes);
            assertThat(((PlanStep.ChangeMx) rollback.get(0)).expectedBefore()).isEqualTo(history.state().liveMx());
            CooperativeWorld.runUntilStopped(history);

            assertThat(history.state().status()).isEqualTo(WorkflowStatus.ROLLED_BACK);
            assertThat(history.state().liveMx()).isEqualTo(history.state().discoveredMx());
            assertViolation(history, new RollbackRequested("operator", ""), Violation.NOT_ALLOWED_IN_STATUS);
        }

        @Test
        void rollbackBeforeAnyWriteFinishesAtOnce() {
            DomainHistory history = migratingUpTo(0);
            history.add(new RollbackRequested("operator", "wrong wave"));
            assertThat(history.state().activeSteps()).isEmpty();
            assertThat(Workflow.next(history.state())).isEqualTo(new NextAction.Finish(Direction.ROLLBACK));
        }
    }

    @Test
    void aPlansChecksumChangesWithAnyStep() {
        StagedPlan plan = Fixtures.microsoftPlan(Fixtures.legacyMx(DOMAIN), TARGET_HOST);
        List<PlanStep> steps = new ArrayList<>(plan.steps());
        steps.set(1, new PlanStep.Wait(StepPurpose.WAIT_OLD_TTL, 3601));
        StagedPlan changed = new StagedPlan(plan.domain(), plan.targetHost(), plan.discoveredMx(), steps);
        assertThat(changed.checksum()).isNotEqualTo(plan.checksum()).hasSize(64);
        assertThat(Fixtures.microsoftPlan(Fixtures.legacyMx(DOMAIN), TARGET_HOST).checksum()).isEqualTo(plan.checksum());
    }

    @Nested
    class TargetLearnedLater {

        @Test
        void givenABlockedDomainWithoutTargetWhenMicrosoftsHostIsImportedThenTheStateCarriesItAndTheStatusStays() {
            DomainHistory history = DomainHistory.of(DOMAIN);
            history.add(new dev.mxshift.model.event.MigrationRequested(dev.mxshift.model.testing.Fixtures.PROVIDER, null, "w", List.of(), "csv"));
            history.add(successorOf(history.state()));
            history.add(new dev.mxshift.model.event.PreflightBlocked(List.of(new dev.mxshift.model.event.Finding("TARGET_UNKNOWN", "no target", ""))));

            history.add(new dev.mxshift.model.event.TargetAssigned(dev.mxshift.model.testing.Fixtures.TARGET_HOST, "export.csv line 2"));

            assertThat(history.state().targetHost()).isEqualTo(dev.mxshift.model.testing.Fixtures.TARGET_HOST);
            assertThat(history.state().status()).isEqualTo(WorkflowStatus.BLOCKED);
        }

        @Test
        void givenARunningPlanWhenAnotherTargetArrivesThenItIsRefused() {
            assertViolation(migratingUpTo(1), new dev.mxshift.model.event.TargetAssigned(
                    dev.mxshift.model.dns.DomainName.of("other-key.o-v1.mx.microsoft"), "late.csv line 9"), Violation.NOT_ALLOWED_IN_STATUS);
        }

        @Test
        void aTargetThatIsNotAnMxMicrosoftHostIsNotAnEvent() {
            assertThatThrownBy(() -> new dev.mxshift.model.event.TargetAssigned(dev.mxshift.model.testing.Fixtures.LEGACY_HOST, "x"))
                    .hasMessageContaining("not an mx.microsoft host");
        }
    }

    /**
     * The zone sweep's findings (decision 0028, addendum) are recorded in any status of a domain that exists, and nothing
     * else changes: not the status, not the next action; a later sweep's list replaces them, an empty one clears them.
     */
    @Test
    void legacyReferencesAreRecordedAndChangeNothingElse() {
        List<dev.mxshift.model.event.LegacyReference> found = dev.mxshift.model.testing.EventSamples.legacyReferences(DOMAIN);
        for (DomainHistory history : List.of(migratingUpTo(1), CooperativeWorld.migrated(DOMAIN))) {
            MigrationState before = history.state();

            MigrationState after = history.add(new dev.mxshift.model.event.LegacyReferencesFound(List.of(found.get(1), found.get(0)), "sweep")).state();

            assertThat(after.legacyReferences()).as("kept in the event's order, whatever order they were found in").containsExactlyElementsOf(found);
            assertThat(after.status()).isEqualTo(before.status());
            assertThat(Workflow.next(after)).isEqualTo(Workflow.next(before));
            assertThat(after.toBuilder()).usingRecursiveComparison().ignoringFields("sequence", "lastEventId", "legacyReferences")
                    .isEqualTo(before.toBuilder());
            assertThat(history.add(new dev.mxshift.model.event.LegacyReferencesFound(List.of(), "sweep")).state().legacyReferences()).isEmpty();
        }
        assertViolation(DomainHistory.of(DOMAIN), new dev.mxshift.model.event.LegacyReferencesFound(found, "sweep"), Violation.NOT_ALLOWED_IN_STATUS);
    }
}
