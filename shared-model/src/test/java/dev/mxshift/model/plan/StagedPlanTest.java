package dev.mxshift.model.plan;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.mxshift.model.testing.Fixtures.DOMAIN;
import static dev.mxshift.model.testing.Fixtures.LEGACY_HOST;
import static dev.mxshift.model.testing.Fixtures.TARGET_HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StagedPlanTest {

    private final MxRecordSet discovered = Fixtures.legacyMx(DOMAIN);
    private final MxRecordSet withNew = MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, LEGACY_HOST), new MxRecord(20, TARGET_HOST));
    private final MxRecordSet newOnly = MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, TARGET_HOST));

    @Test
    void thePlanWalksFromTheDiscoveredSetToTheTargetAlone() {
        StagedPlan plan = Fixtures.microsoftPlan(discovered, TARGET_HOST);
        assertThat(plan.finalMx()).isEqualTo(newOnly);
        assertThat(plan.liveMxAfter(0)).isEqualTo(discovered);
    }

    @Test
    void aPlanThatDropsTheLegacyMxBeforeTheNewOneIsInPlaceCannotBeBuilt() {
        var straightSwap = new PlanStep.ChangeMx(StepPurpose.REMOVE_LEGACY_MX, discovered, newOnly);
        assertThatThrownBy(() -> new StagedPlan(DOMAIN, TARGET_HOST, discovered, List.of(straightSwap)))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("plan step 1")
                .hasMessageContaining("invariant 2");
    }

    @Test
    void aPlanThatDropsLegacyAndNewMxForAnotherHostCannotBeBuilt() {
        // Found by the property test: the new MX was added and verified, then everything was replaced.
        var gateway = dev.mxshift.model.dns.DomainName.of("mx1.gateway.example");
        var addBoth = MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, LEGACY_HOST), new MxRecord(10, gateway), new MxRecord(30, TARGET_HOST));
        var gatewayOnly = MxRecordSet.of(DOMAIN, 300, new MxRecord(10, gateway));
        var steps = List.<PlanStep>of(new PlanStep.ChangeMx(StepPurpose.ADD_NEW_MX, discovered, addBoth),
                new PlanStep.ChangeMx(StepPurpose.REMOVE_LEGACY_MX, addBoth, gatewayOnly));
        assertThatThrownBy(() -> new StagedPlan(DOMAIN, TARGET_HOST, discovered, steps))
                .hasMessageContaining("plan step 2").hasMessageContaining("invariant 2");
    }

    @Test
    void aStepWhoseExpectedSetIsNotWhatThePlanLeftIsRefused() {
        var add = new PlanStep.ChangeMx(StepPurpose.ADD_NEW_MX, discovered, withNew);
        var wrongBefore = new PlanStep.ChangeMx(StepPurpose.REMOVE_LEGACY_MX, discovered.withTtl(5), newOnly);
        assertThatThrownBy(() -> new StagedPlan(DOMAIN, TARGET_HOST, discovered, List.of(add, wrongBefore)))
                .hasMessageContaining("plan step 2")
                .hasMessageContaining("expects");
    }

    @Test
    void noStepMayLeaveAnEmptyMxSet() {
        assertThatThrownBy(() -> new PlanStep.ChangeMx(StepPurpose.REMOVE_LEGACY_MX, discovered, MxRecordSet.of(DOMAIN, 3600)))
                .hasMessageContaining("invariant 1");
    }

    @Test
    void theTargetMustBeAnMxMicrosoftHost() {
        DomainName derived = DomainName.of("contoso-com.mail.protection.outlook.com");
        assertThatThrownBy(() -> Fixtures.microsoftPlan(discovered, derived))
                .hasMessageContaining("not an mx.microsoft host");
    }

    @Test
    void theRollbackRestoresTheDiscoveredSetExactlyAndUndoesDaneFirst() {
        StagedPlan plan = Fixtures.microsoftPlan(discovered, TARGET_HOST);
        List<PlanStep> rollback = plan.rollback();

        assertThat(rollback.get(0)).isEqualTo(new PlanStep.External(StepPurpose.ROLLBACK, ExternalAction.DISABLE_SMTP_DANE_INBOUND));
        MxRecordSet live = plan.finalMx();
        for (PlanStep step : rollback) {
            if (step instanceof PlanStep.ChangeMx change) {
                assertThat(change.expectedBefore()).isEqualTo(live);
                assertThat(change.target().isEmpty()).isFalse();
                live = change.target();
            }
        }
        assertThat(live).isEqualTo(discovered);
        assertThat(live.toRecordSet().toString()).isEqualTo(discovered.toRecordSet().toString());
    }

    @Test
    void aPartialRollbackUndoesOnlyTheEffectedSteps() {
        StagedPlan plan = Fixtures.microsoftPlan(discovered, TARGET_HOST);
        assertThat(RollbackPlanner.rollbackOf(plan, 0)).isEmpty();
        List<PlanStep> afterTwo = RollbackPlanner.rollbackOf(plan, 3);
        assertThat(afterTwo).hasSize(2).allMatch(PlanStep::writes);
        assertThatThrownBy(() -> RollbackPlanner.rollbackOf(plan, 99)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStepThatChangesNothingIsRefused() {
        assertThatThrownBy(() -> new PlanStep.ChangeMx(StepPurpose.LOWER_MX_TTL, discovered, discovered))
                .hasMessageContaining("changes nothing");
        List<PlanStep> none = new ArrayList<>();
        assertThatThrownBy(() -> new StagedPlan(DOMAIN, TARGET_HOST, discovered, none)).hasMessageContaining("no steps");
    }
}
