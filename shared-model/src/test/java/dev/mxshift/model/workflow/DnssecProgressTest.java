package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dnssec.ParentPath;
import dev.mxshift.model.dnssec.ZoneSigningPlan;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.event.PreflightPassed;
import dev.mxshift.model.event.RollbackRequested;
import dev.mxshift.model.event.StepVerificationFailed;
import dev.mxshift.model.event.UnsignedZonePolicy;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The DNSSEC stage as operators see it, from hand-built histories through the fold: every phase, in the order a
 * domain passes them, with the parent, the path and the time of the event that entered the phase.
 */
class DnssecProgressTest {

    private static final DomainName ZONE = DomainName.of("northwind.example");
    private static final DomainName MANUAL_ZONE = DomainName.of("manual-tailspin.example");
    private static final DomainName PARENT = DomainName.of("example");

    private static DomainHistory requested(DomainName zone, UnsignedZonePolicy policy) {
        DomainHistory history = DomainHistory.of(zone);
        history.add(new MigrationRequested(ProviderRef.of("powerdns-lab", zone.value()), Fixtures.targetHostOf(zone), "wave-1",
                List.of(), "inventory", false, policy));
        return history;
    }

    /** Requested and discovered: the preflight's decision is the test's. */
    private static DomainHistory discovered(DomainName zone, UnsignedZonePolicy policy) {
        DomainHistory history = requested(zone, policy);
        while (history.state().status() != WorkflowStatus.DISCOVERED) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        return history;
    }

    /** Adds the cooperative world's events until nobody but a person could move the domain, collecting each phase entered. */
    private static List<DnssecPhase> run(DomainHistory history, List<DnssecPhase> seen) {
        for (MigrationEvent e = CooperativeWorld.successorOf(history.state()); e != null; e = CooperativeWorld.successorOf(history.state())) {
            history.add(e);
            DnssecPhase now = DnssecProgress.of(history.state()).phase();
            if (seen.isEmpty() || seen.get(seen.size() - 1) != now) {
                seen.add(now);
            }
        }
        return seen;
    }

    /** Adds events until the state's phase is the one asked for. */
    private static DomainHistory until(DomainHistory history, DnssecPhase phase) {
        for (int i = 0; i < 200 && DnssecProgress.of(history.state()).phase() != phase; i++) {
            MigrationEvent e = CooperativeWorld.successorOf(history.state());
            if (e == null) {
                break;
            }
            history.add(e);
        }
        assertThat(DnssecProgress.of(history.state()).phase()).as("reached").isEqualTo(phase);
        return history;
    }

    /** The time of the event after which the phase was first the one asked for. */
    private static java.time.Instant entered(DomainHistory history, DnssecPhase phase) {
        MigrationState state = MigrationState.initial(history.state().domain());
        for (EventEnvelope e : history.events()) {
            state = Workflow.apply(state, e);
            if (DnssecProgress.of(state).phase() == phase) {
                return e.occurredAt();
            }
        }
        throw new AssertionError("never " + phase);
    }

    @Test
    void anUnsignedZoneIsSignedVerifiedWaitedAwaitedAtItsParentAndChained() {
        DomainHistory history = requested(ZONE, UnsignedZonePolicy.SIGN);
        List<DnssecPhase> phases = run(history, new ArrayList<>());
        assertThat(phases).containsExactly(DnssecPhase.NONE, DnssecPhase.SIGNING, DnssecPhase.VERIFYING_KEYS,
                DnssecPhase.WAITING_KEY_CACHES, DnssecPhase.AWAITING_DS, DnssecPhase.CHAINED);
        DnssecProgress chained = DnssecProgress.of(history.events());
        assertThat(chained.phase()).isEqualTo(DnssecPhase.CHAINED);
        assertThat(chained.parent()).isEqualTo(PARENT);
        assertThat(chained.path()).isEqualTo(ParentPath.CDS);
        assertThat(chained.since()).isEqualTo(entered(history, DnssecPhase.CHAINED));
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void theDsOnItsWayNamesTheParentThePathAndSinceWhenAcrossItsChecks() {
        DomainHistory history = until(requested(ZONE, UnsignedZonePolicy.SIGN), DnssecPhase.AWAITING_DS);
        java.time.Instant enteredAt = history.last().occurredAt();
        // submitted by CDS, then the parent is checked again and again at its own pace
        history.add(CooperativeWorld.successorOf(history.state()));
        assertThat(history.state().phase()).isEqualTo(StepPhase.APPLIED);
        int step = history.state().stepIndex();
        history.add(new dev.mxshift.model.event.VerificationRetryScheduled(Direction.FORWARD, step, 1,
                history.last().occurredAt().plusSeconds(30), "example serves no DS yet", List.of()));
        DnssecProgress waiting = DnssecProgress.of(history.events());
        assertThat(waiting.phase()).isEqualTo(DnssecPhase.AWAITING_DS);
        assertThat(waiting.parent()).isEqualTo(PARENT);
        assertThat(waiting.path()).isEqualTo(ParentPath.CDS);
        assertThat(waiting.since()).as("the event that entered the phase, not the last check").isEqualTo(enteredAt);
        assertThat(waiting.detail()).contains("submitted").contains("checked 1 time(s)");
        assertThat(waiting.describe()).startsWith("awaiting-ds at example by cds since " + enteredAt + ": ");
        // the state alone knows the phase but not since when
        assertThat(DnssecProgress.of(history.state()).since()).isNull();
        assertThat(DnssecProgress.of(history.state()).phase()).isEqualTo(DnssecPhase.AWAITING_DS);
    }

    @Test
    void aManualDsWaitsForThePersonAtTheRegistrarThenAtTheParentInOnePhase() {
        DomainHistory history = until(requested(MANUAL_ZONE, UnsignedZonePolicy.SIGN), DnssecPhase.AWAITING_DS);
        java.time.Instant enteredAt = history.last().occurredAt();
        history.add(CooperativeWorld.successorOf(history.state()));
        assertThat(history.state().phase()).isEqualTo(StepPhase.AWAITING_EXTERNAL);
        DnssecProgress atRegistrar = DnssecProgress.of(history.events());
        assertThat(atRegistrar.path()).isEqualTo(ParentPath.MANUAL);
        assertThat(atRegistrar.detail()).contains("to be submitted at the registrar and confirmed");
        history.add(CooperativeWorld.successorOf(history.state()));
        DnssecProgress confirmed = DnssecProgress.of(history.events());
        assertThat(confirmed.phase()).isEqualTo(DnssecPhase.AWAITING_DS);
        assertThat(confirmed.detail()).contains("submitted; waiting until every server of example serves it");
        assertThat(confirmed.since()).isEqualTo(enteredAt);
    }

    @Test
    void aZoneItsProviderSignedIsVerifiedThenChainedNeverSigned() {
        DomainHistory history = discovered(ZONE, UnsignedZonePolicy.SIGN);
        history.add(new PreflightPassed(List.of(), ZoneSigningPlan.chain(ZONE, PARENT, ParentPath.WEBHOOK)));
        DnssecProgress planned = DnssecProgress.of(history.state());
        assertThat(planned.phase()).isEqualTo(DnssecPhase.VERIFYING_KEYS);
        assertThat(planned.detail()).startsWith("planned: ");
        List<DnssecPhase> phases = run(history, new ArrayList<>());
        assertThat(phases).containsExactly(DnssecPhase.VERIFYING_KEYS, DnssecPhase.WAITING_KEY_CACHES,
                DnssecPhase.AWAITING_DS, DnssecPhase.CHAINED);
        assertThat(DnssecProgress.of(history.state()).path()).isEqualTo(ParentPath.WEBHOOK);

        // its rollback with unsign withdraws the DS and leaves the zone signed, as it was found
        history.add(new RollbackRequested("operator", "customer asked", true));
        assertThat(run(history, new ArrayList<>())).containsSubsequence(DnssecPhase.CHAINED, DnssecPhase.WITHDRAWING_DS,
                DnssecPhase.DS_WITHDRAWN).doesNotContain(DnssecPhase.UNSIGNING, DnssecPhase.UNSIGNED);
        assertThat(DnssecProgress.of(history.events()).phase()).isEqualTo(DnssecPhase.DS_WITHDRAWN);
    }

    @Test
    void unsigningWithdrawsTheDsWaitsOutTheCachesStopsSigningAndEndsUnsigned() {
        DomainHistory history = requested(ZONE, UnsignedZonePolicy.SIGN);
        CooperativeWorld.runUntilStopped(history);
        history.add(new RollbackRequested("operator", "customer asked", true));
        List<DnssecPhase> phases = run(history, new ArrayList<>(List.of(DnssecProgress.of(history.state()).phase())));
        assertThat(phases).containsExactly(DnssecPhase.CHAINED, DnssecPhase.WITHDRAWING_DS, DnssecPhase.UNSIGNING, DnssecPhase.UNSIGNED);
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.ROLLED_BACK);
        DnssecProgress unsigned = DnssecProgress.of(history.events());
        assertThat(unsigned.since()).isEqualTo(entered(history, DnssecPhase.UNSIGNED));
        assertThat(unsigned.describe()).contains("unsigned again");
    }

    @Test
    void rollingBackOnlyTheMxKeepsTheZoneChained() {
        DomainHistory history = requested(ZONE, UnsignedZonePolicy.SIGN);
        CooperativeWorld.runUntilStopped(history);
        history.add(new RollbackRequested("operator", "customer asked"));
        CooperativeWorld.runUntilStopped(history);
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.ROLLED_BACK);
        assertThat(DnssecProgress.of(history.state()).phase()).isEqualTo(DnssecPhase.CHAINED);
    }

    @Test
    void aWrongDsAtTheParentBlocksTheStageWithTheReason() {
        DomainHistory history = until(requested(MANUAL_ZONE, UnsignedZonePolicy.SIGN), DnssecPhase.AWAITING_DS);
        history.add(CooperativeWorld.successorOf(history.state()));
        history.add(CooperativeWorld.successorOf(history.state()));
        int step = history.state().stepIndex();
        history.add(new StepVerificationFailed(Direction.FORWARD, step, "BOGUS: the parent serves a DS that matches no key",
                List.of()));
        DnssecProgress blocked = DnssecProgress.of(history.events());
        assertThat(blocked.phase()).isEqualTo(DnssecPhase.BLOCKED);
        assertThat(blocked.detail()).contains("matches no key");
        assertThat(blocked.since()).isEqualTo(history.last().occurredAt());
    }

    @Test
    void aPreflightThatCannotSignBlocksWithItsReasonsAndOtherBlocksAreNotTheStages() {
        DomainHistory history = discovered(ZONE, UnsignedZonePolicy.SIGN);
        history.add(new PreflightBlocked(List.of(new Finding("FOREIGN_NAME_SERVER", "the delegation names ns.other.example,"
                + " which no connector signs", "move the zone"), new Finding("MTA_STS_NOT_COVERING", "the policy lacks the host", ""))));
        DnssecProgress blocked = DnssecProgress.of(history.state());
        assertThat(blocked.phase()).isEqualTo(DnssecPhase.BLOCKED);
        assertThat(blocked.detail()).isEqualTo("FOREIGN_NAME_SERVER: the delegation names ns.other.example, which no connector signs");

        DomainHistory other = discovered(ZONE, UnsignedZonePolicy.SIGN);
        other.add(new PreflightBlocked(List.of(new Finding("MTA_STS_NOT_COVERING", "the policy lacks the host", ""))));
        assertThat(DnssecProgress.of(other.state()).phase()).isEqualTo(DnssecPhase.NONE);
    }

    @Test
    void anUnsignedZoneMovedByPolicyIsNotDaneProtectedToTheEnd() {
        DomainHistory history = discovered(ZONE, UnsignedZonePolicy.MIGRATE_INSECURE);
        history.add(new PreflightPassed(List.of(new Finding(UnsignedZonePolicy.ZONE_INSECURE,
                UnsignedZonePolicy.NOT_DANE_PROTECTED + ": northwind.example has no DS", "")), null));
        CooperativeWorld.runUntilStopped(history);
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.COMPLETED);
        DnssecProgress insecure = DnssecProgress.of(history.events());
        assertThat(insecure.phase()).isEqualTo(DnssecPhase.NOT_DANE_PROTECTED);
        assertThat(insecure.describe()).contains(UnsignedZonePolicy.NOT_DANE_PROTECTED);
    }

    @Test
    void aDomainCancelledInTheStageKeepsThePhaseItStoppedInAndSaysSo() {
        DomainHistory history = until(requested(ZONE, UnsignedZonePolicy.SIGN), DnssecPhase.WAITING_KEY_CACHES);
        history.add(new dev.mxshift.model.event.Cancelled("operator", "customer left"));
        DnssecProgress cancelled = DnssecProgress.of(history.state());
        assertThat(cancelled.phase()).isEqualTo(DnssecPhase.WAITING_KEY_CACHES);
        assertThat(cancelled.detail()).startsWith("cancelled while the keys are served");
    }

    @Test
    void aSecureZonesMigrationHasNoStage() {
        DomainHistory history = CooperativeWorld.migrated(Fixtures.DOMAIN);
        assertThat(history.state().plan().steps()).noneMatch(PlanStep::dnssec);
        DnssecProgress none = DnssecProgress.of(history.events());
        assertThat(none).isEqualTo(DnssecProgress.none());
        assertThat(none.describe()).isEqualTo("none");
        assertThat(DnssecProgress.of(List.of())).isEqualTo(DnssecProgress.none());
    }

    @Test
    void aRepeatedOrRefusedEventDoesNotMoveSince() {
        DomainHistory history = until(requested(ZONE, UnsignedZonePolicy.SIGN), DnssecPhase.AWAITING_DS);
        List<EventEnvelope> events = new ArrayList<>(history.events());
        // a redelivered copy of an earlier event, late in the log, as the operator's history reads it
        events.add(events.get(2));
        assertThat(DnssecProgress.of(events)).isEqualTo(DnssecProgress.of(history.events()));
    }

    @Test
    void phasesAreParsedByTheirWordOrName() {
        assertThat(DnssecPhase.parse("awaiting-ds")).isEqualTo(DnssecPhase.AWAITING_DS);
        assertThat(DnssecPhase.parse("AWAITING_DS")).isEqualTo(DnssecPhase.AWAITING_DS);
        assertThat(DnssecPhase.parse(" Chained ")).isEqualTo(DnssecPhase.CHAINED);
        assertThatThrownBy(() -> DnssecPhase.parse("waiting")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("awaiting-ds").hasMessageContaining("waiting");
    }
}
