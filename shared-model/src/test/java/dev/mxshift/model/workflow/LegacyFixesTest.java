package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.event.ApplyFailureKind;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.FixesApproved;
import dev.mxshift.model.event.LegacyReference;
import dev.mxshift.model.event.LegacyReferencesFound;
import dev.mxshift.model.event.RollbackRequested;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StepPurpose;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.EventSamples;
import dev.mxshift.model.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.mxshift.model.testing.Fixtures.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fixes as plans (issue 29 item 3, decision 0036), given/when/then over events: which references have a safe fix, the
 * fix steps joining the completed plan once approved by their checksum, run and rolled back like any step.
 */
class LegacyFixesTest {

    private static final String LEGACY = Fixtures.legacyHostOf(DOMAIN).value();
    private static final String TARGET = Fixtures.targetHostOf(DOMAIN).value();

    /** The sweep's two sample references (a relay alias, a hard-coded address), an alias to another tenant's host, an SPF pin. */
    private static List<LegacyReference> swept() {
        List<LegacyReference> refs = new ArrayList<>(EventSamples.legacyReferences(DOMAIN));
        refs.add(new LegacyReference(DOMAIN.value(), "smtp2." + DOMAIN.value(), "CNAME", 300, "other-example.mail.protection.outlook.com.",
                "ALIAS", "other-example.mail.protection.outlook.com", "why", "alias it", "CERTAIN"));
        refs.add(new LegacyReference(DOMAIN.value(), DOMAIN.value(), "TXT", 3600, "\"v=spf1 a:" + LEGACY + " -all\"", "SPF_HOST_PIN",
                LEGACY, "why", "remove a:" + LEGACY, "CERTAIN"));
        return refs;
    }

    private static DomainHistory migratedAndSwept() {
        DomainHistory history = CooperativeWorld.migrated(DOMAIN);
        history.add(new LegacyReferencesFound(swept(), "sweep"));
        return history;
    }

    private static RecordSet relay(String rdata) {
        return new RecordSet("relay." + DOMAIN.value(), "CNAME", 3600, List.of(rdata));
    }

    @Test
    void onlyTheAliasOfTheDomainsOwnLegacyHostIsFixedAutomaticallyTheRestIsForPeopleWithWhy() {
        FixPlan fixes = LegacyFixes.planFor(migratedAndSwept().state());

        assertThat(fixes.approvable()).isTrue();
        assertThat(fixes.steps()).containsExactly(new PlanStep.ChangeRecordSet(StepPurpose.FIX_LEGACY_REFERENCE, relay(LEGACY + "."),
                relay(TARGET + ".")));
        assertThat(fixes.rollback()).containsExactly(new PlanStep.ChangeRecordSet(StepPurpose.ROLLBACK, relay(TARGET + "."), relay(LEGACY + ".")));
        assertThat(fixes.forPeople()).extracting(p -> p.reference().owner() + " " + p.reference().kind()).containsExactlyInAnyOrder(
                "smtp." + DOMAIN.value() + " HARD_CODED_ADDRESS", "smtp2." + DOMAIN.value() + " ALIAS", DOMAIN.value() + " SPF_HOST_PIN");
        assertThat(fixes.forPeople()).filteredOn(p -> p.reference().owner().startsWith("smtp2.")).singleElement()
                .satisfies(p -> assertThat(p.whyNotAutomatic()).contains("not " + DOMAIN + "'s own legacy host"));
        assertThat(fixes.checksum()).matches("[0-9a-f]{64}").isEqualTo(LegacyFixes.planFor(migratedAndSwept().state()).checksum());
    }

    @Test
    void beforeTheMigrationCompletedThereIsNothingToApprove() {
        DomainHistory history = DomainHistory.of(DOMAIN);
        while (history.state().status() != WorkflowStatus.MIGRATING) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        history.add(new LegacyReferencesFound(swept(), "sweep"));
        FixPlan fixes = LegacyFixes.planFor(history.state());

        assertThat(fixes.approvable()).isFalse();
        assertThat(fixes.notYet()).contains("after the MX migration completed").contains("MIGRATING");
        assertThat(fixes.steps()).hasSize(1);
        assertThatThrownBy(() -> history.add(new FixesApproved(fixes.steps(), fixes.checksum())))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> assertThat(e.violation()).isEqualTo(Violation.NOT_ALLOWED_IN_STATUS));
    }

    @Test
    void givenAMigratedDomainWhenItsFixPlanIsApprovedThenTheFixesRunAfterTheMxStepsAndItCompletesAgain() {
        DomainHistory history = migratedAndSwept();
        int mxSteps = history.state().plan().steps().size();
        FixPlan fixes = LegacyFixes.planFor(history.state());

        MigrationState approved = history.add(new FixesApproved(fixes.steps(), fixes.checksum())).state();

        assertThat(approved.status()).isEqualTo(WorkflowStatus.MIGRATING);
        assertThat(approved.stepIndex()).isEqualTo(mxSteps);
        assertThat(approved.plan().steps()).hasSize(mxSteps + 1).endsWith(fixes.steps().get(0));
        assertThat(Workflow.next(approved)).isEqualTo(new NextAction.ApplyStep(Direction.FORWARD, mxSteps, fixes.steps().get(0)));

        CooperativeWorld.runUntilStopped(history);
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(LegacyFixes.planFor(history.state()).steps()).as("a fix in the plan is not offered again").isEmpty();
        assertThat(Workflow.replay(MigrationState.initial(DOMAIN), history.events())).isEqualTo(history.state());
    }

    @Test
    void givenAnAppliedFixWhenALaterSweepFindsItPointedBackAtTheLegacyHostThenItIsListedForAPersonNotFixedAgain() {
        DomainHistory history = migratedAndSwept();
        FixPlan fixes = LegacyFixes.planFor(history.state());
        MigrationState approved = history.add(new FixesApproved(fixes.steps(), fixes.checksum())).state();
        assertThat(LegacyFixes.planFor(approved).forPeople()).as("approved, not applied yet: neither offered nor for people")
                .noneMatch(p -> p.reference().owner().startsWith("relay."));

        CooperativeWorld.runUntilStopped(history);
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(history.state().legacyReferences()).as("the applied fix dropped its reference; the others stay")
                .extracting(LegacyReference::owner).doesNotContain("relay." + DOMAIN.value()).hasSize(swept().size() - 1);
        assertThat(LegacyFixes.planFor(history.state()).forPeople()).noneMatch(p -> p.reference().owner().startsWith("relay."));

        // someone pointed the relay back at the legacy host, and the next sweep saw it
        MigrationState reswept = history.add(new LegacyReferencesFound(swept(), "sweep")).state();
        FixPlan again = LegacyFixes.planFor(reswept);

        assertThat(again.steps()).as("an owner is fixed once").isEmpty();
        assertThat(again.approvable()).isFalse();
        assertThat(again.forPeople()).filteredOn(p -> p.reference().owner().equals("relay." + DOMAIN.value())).singleElement()
                .satisfies(p -> assertThat(p.whyNotAutomatic()).startsWith("pointed back at the legacy host after its fix")
                        .contains("needs a person"));
        assertThat(again.forPeople()).hasSize(swept().size());
        assertThat(Workflow.replay(MigrationState.initial(DOMAIN), history.events())).isEqualTo(history.state());
    }

    @Test
    void givenAppliedFixesWhenTheDomainIsRolledBackThenTheFixesAreUndoneFirstAndTheSweptRecordComesBackExactly() {
        DomainHistory history = migratedAndSwept();
        int mxSteps = history.state().plan().steps().size();
        FixPlan fixes = LegacyFixes.planFor(history.state());
        history.add(new FixesApproved(fixes.steps(), fixes.checksum()));
        CooperativeWorld.runUntilStopped(history);

        MigrationState rolling = history.add(new RollbackRequested("operator", "customer asked")).state();

        assertThat(rolling.rollbackSteps().get(0)).isEqualTo(fixes.rollback().get(0));
        assertThat(((PlanStep.ChangeRecordSet) rolling.rollbackSteps().get(0)).target()).isEqualTo(relay(LEGACY + "."));
        assertThat(rolling.rollbackSteps()).hasSizeGreaterThan(1);
        CooperativeWorld.runUntilStopped(history);
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.ROLLED_BACK);
        assertThat(history.state().liveMx()).isEqualTo(history.state().discoveredMx());
        assertThat(mxSteps).isPositive();
    }

    @Test
    void anApprovalOfAnotherChecksumOrOfFindingsThatChangedSinceIsRefused() {
        DomainHistory history = migratedAndSwept();
        FixPlan reviewed = LegacyFixes.planFor(history.state());
        String other = "0".repeat(64);

        assertViolation(history, new FixesApproved(reviewed.steps(), other), Violation.PLAN_MISMATCH);
        // a later sweep saw the relay with another TTL: what was reviewed is not what would run
        List<LegacyReference> changed = new ArrayList<>(swept());
        LegacyReference relay = changed.get(0);
        changed.set(0, new LegacyReference(relay.zone(), relay.owner(), relay.type(), 60, relay.rdata(), relay.kind(), relay.legacy(),
                relay.why(), relay.fix(), relay.confidence()));
        history.add(new LegacyReferencesFound(changed, "sweep"));
        assertViolation(history, new FixesApproved(reviewed.steps(), reviewed.checksum()), Violation.PLAN_MISMATCH);
        // nothing safe to fix: nothing to approve
        DomainHistory quiet = CooperativeWorld.migrated(DOMAIN);
        assertViolation(quiet, new FixesApproved(reviewed.steps(), reviewed.checksum()), Violation.PLAN_MISMATCH);
    }

    @Test
    void aFixWhoseRecordWasEditedStopsInConflictWithBothVersionsAndCanBeRolledBack() {
        DomainHistory history = migratedAndSwept();
        int mxSteps = history.state().plan().steps().size();
        FixPlan fixes = LegacyFixes.planFor(history.state());
        history.add(new FixesApproved(fixes.steps(), fixes.checksum()));
        RecordSet edited = relay("relay-gw.example.net.");

        MigrationState conflict = history.add(new StepApplyFailed(Direction.FORWARD, mxSteps, ApplyFailureKind.CONFLICT,
                "the CNAME at powerdns-lab differs", edited)).state();

        assertThat(conflict.status()).isEqualTo(WorkflowStatus.CONFLICT);
        assertThat(conflict.failure().expected()).isEqualTo(relay(LEGACY + "."));
        assertThat(conflict.failure().actual()).isEqualTo(edited);
        MigrationState rolling = history.add(new RollbackRequested("operator", "give up the fix")).state();
        assertThat(rolling.rollbackSteps()).as("the fix never took effect: only the MX steps are undone")
                .noneMatch(s -> s instanceof PlanStep.ChangeRecordSet c && c.expectedBefore() != null && c.expectedBefore().owner().startsWith("relay."));
    }

    private static void assertViolation(DomainHistory history, dev.mxshift.model.event.MigrationEvent event, Violation expected) {
        MigrationState before = history.state();
        assertThatThrownBy(() -> history.add(event))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> assertThat(e.violation()).isEqualTo(expected));
        assertThat(history.state()).isEqualTo(before);
    }
}
