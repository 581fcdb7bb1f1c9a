package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.DiscoverySnapshot;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.event.MtaStsSnapshot;
import dev.mxshift.model.dns.MtaStsPolicy;
import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.plan.ExternalAction;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StagedPlan;
import dev.mxshift.model.plan.StepPurpose;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.workflow.MigrationState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanGeneratorTest {

    static final DomainName DOMAIN = DomainName.of("contoso.com");
    static final DomainName LEGACY = DomainName.of("contoso-com.mail.protection.outlook.com");
    static final DomainName TARGET = DomainName.of("contoso-com.o-v1.mx.microsoft");

    /** The state the record-generation service meets: requested (with or without Microsoft's host) and discovered. */
    static MigrationState discovered(DomainName domain, DomainName target, MxClassification classification, MxRecordSet mx) {
        return discovered(domain, target, classification, mx, null);
    }

    static MigrationState discovered(DomainName domain, DomainName target, MxClassification classification, MxRecordSet mx,
                                     MtaStsSnapshot mtaSts) {
        DomainHistory history = DomainHistory.of(domain);
        history.add(new MigrationRequested(new ProviderRef("powerdns-lab", domain), target, null, List.of(), "test"));
        history.add(new Discovered(new DiscoverySnapshot(classification, "test", mx, List.of(), List.of(), true, true, mtaSts)));
        return history.state();
    }

    private static MtaStsSnapshot mtaSts(String policy) {
        return new MtaStsSnapshot(new RecordSet("_mta-sts.contoso.com", "TXT", 3600, List.of("\"v=STSv1; id=20261101T000000\"")),
                MtaStsPolicy.parse(policy));
    }

    private static StagedPlan planned(PlanDecision decision) {
        assertThat(decision).isInstanceOf(PlanDecision.Planned.class);
        return ((PlanDecision.Planned) decision).plan();
    }

    @Test
    void aZoneThePreflightDecidedToSignIsSignedAndChainedBeforeAnyMxStepAndThePlanItsRollbackAndChecksumSaySo() {
        MxRecordSet legacy = MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, LEGACY));
        DomainHistory history = DomainHistory.of(DOMAIN);
        history.add(new MigrationRequested(new ProviderRef("powerdns-lab", DOMAIN), TARGET, null, List.of(), "test", false,
                dev.mxshift.model.event.UnsignedZonePolicy.SIGN));
        history.add(new Discovered(new DiscoverySnapshot(MxClassification.LEGACY_EXCHANGE_ONLINE, "test", legacy, List.of(), List.of(), true, true, null)));
        var signing = dev.mxshift.model.dnssec.ZoneSigningPlan.sign(DOMAIN, DomainName.of("com"), dev.mxshift.model.dnssec.ParentPath.CDS);
        history.add(new dev.mxshift.model.event.PreflightPassed(List.of(), signing));

        StagedPlan plan = planned(PlanGenerator.decide(history.state(), PlanOptions.defaults()));
        assertThat(plan.steps().subList(0, 3)).containsExactly(
                new PlanStep.SignZone(StepPurpose.SIGN_ZONE, DOMAIN, 13, "NSEC"),
                new PlanStep.Wait(StepPurpose.WAIT_KEY_CACHES, 3600),
                new PlanStep.PublishDs(StepPurpose.PUBLISH_DS, DOMAIN, DomainName.of("com"), dev.mxshift.model.dnssec.ParentPath.CDS));
        assertThat(plan.steps().subList(3, plan.steps().size())).noneMatch(PlanStep::dnssec);
        StagedPlan unsigned = planned(PlanGenerator.decide(discovered(DOMAIN, TARGET, MxClassification.LEGACY_EXCHANGE_ONLINE, legacy), PlanOptions.defaults()));
        assertThat(plan.steps().subList(3, plan.steps().size())).isEqualTo(unsigned.steps());
        assertThat(plan.checksum()).isNotEqualTo(unsigned.checksum());
        // rolling back the plan restores the MX and leaves the zone signed; only an unsign undoes the stage
        assertThat(plan.rollback()).noneMatch(PlanStep::dnssec);
        assertThat(dev.mxshift.model.plan.RollbackPlanner.rollbackOf(plan, plan.steps().size(), null, true))
                .last().isEqualTo(new PlanStep.UnsignZone(StepPurpose.UNSIGN_ZONE, DOMAIN));
        // the workflow takes the plan
        history.add(dev.mxshift.model.event.PlanGenerated.of(plan));
        assertThat(history.state().status()).isEqualTo(dev.mxshift.model.workflow.WorkflowStatus.MIGRATING);
    }

    @Test
    void theStepsFollowMicrosoftsOrderAndEndOnTheNewMxAloneAtTheOriginalTtl() {
        MxRecordSet legacy = MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, LEGACY));
        StagedPlan plan = planned(PlanGenerator.decide(discovered(DOMAIN, TARGET, MxClassification.LEGACY_EXCHANGE_ONLINE, legacy), PlanOptions.defaults()));

        assertThat(plan.steps()).extracting(PlanStep::purpose).containsExactly(
                StepPurpose.LOWER_MX_TTL, StepPurpose.WAIT_OLD_TTL, StepPurpose.ADD_NEW_MX, StepPurpose.PROMOTE_NEW_MX,
                StepPurpose.REMOVE_LEGACY_MX, StepPurpose.RESTORE_MX_TTL, StepPurpose.ENABLE_SMTP_DANE_INBOUND, StepPurpose.VERIFY_DANE);
        assertThat(plan.steps().get(1)).isEqualTo(new PlanStep.Wait(StepPurpose.WAIT_OLD_TTL, 3600));
        assertThat(((PlanStep.ChangeMx) plan.steps().get(2)).target())
                .isEqualTo(MxRecordSet.of(DOMAIN, 300, new MxRecord(0, LEGACY), new MxRecord(20, TARGET)));
        assertThat(((PlanStep.ChangeMx) plan.steps().get(3)).target())
                .isEqualTo(MxRecordSet.of(DOMAIN, 300, new MxRecord(0, TARGET), new MxRecord(30, LEGACY)));
        assertThat(plan.finalMx()).isEqualTo(MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, TARGET)));
        assertThat(plan.steps().get(7)).isEqualTo(new PlanStep.VerifyDane(StepPurpose.VERIFY_DANE, TARGET));
    }

    @Test
    void aTtlAlreadyAtOrBelowTheLoweredOneIsNeitherLoweredNorWaitedFor() {
        MxRecordSet legacy = MxRecordSet.of(DOMAIN, 60, new MxRecord(10, LEGACY));
        StagedPlan plan = planned(PlanGenerator.decide(discovered(DOMAIN, TARGET, MxClassification.LEGACY_EXCHANGE_ONLINE, legacy), PlanOptions.defaults()));
        assertThat(plan.steps()).extracting(PlanStep::purpose).containsExactly(StepPurpose.ADD_NEW_MX, StepPurpose.PROMOTE_NEW_MX,
                StepPurpose.REMOVE_LEGACY_MX, StepPurpose.ENABLE_SMTP_DANE_INBOUND, StepPurpose.VERIFY_DANE);
        assertThat(plan.finalMx().ttl()).isEqualTo(60);
    }

    @Test
    void aConfiguredRestoreTtlReplacesTheOriginal() {
        MxRecordSet legacy = MxRecordSet.of(DOMAIN, 600, new MxRecord(0, LEGACY));
        StagedPlan plan = planned(PlanGenerator.decide(discovered(DOMAIN, TARGET, MxClassification.LEGACY_EXCHANGE_ONLINE, legacy),
                new PlanOptions(30, 3600L)));
        assertThat(((PlanStep.ChangeMx) plan.steps().get(0)).target().ttl()).isEqualTo(30);
        assertThat(plan.finalMx().ttl()).isEqualTo(3600);
        assertThatThrownBy(() -> new PlanOptions(29, null)).hasMessageContaining("at least 30 seconds");
        assertThatThrownBy(() -> new PlanOptions(300, 10L)).hasMessageContaining("restored MX TTL");
    }

    @Test
    void withoutMicrosoftsTargetTheDomainIsBlockedWithTheCmdletToRunAndNoHostIsGuessed() {
        DomainName idn = DomainName.of("bücher.de");
        MxRecordSet legacy = MxRecordSet.of(idn, 3600, new MxRecord(0, DomainName.of("xnbcherkva-de01b.mail.protection.outlook.com")));
        PlanDecision decision = PlanGenerator.decide(discovered(idn, null, MxClassification.LEGACY_EXCHANGE_ONLINE, legacy), PlanOptions.defaults());
        assertThat(decision).isInstanceOfSatisfying(PlanDecision.Blocked.class, b -> assertThat(b.reasons()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("TARGET_UNKNOWN");
            assertThat(f.action()).contains("Enable-DnssecForVerifiedDomain -DomainName bücher.de").contains("never derived");
        }));
    }

    @Test
    void preconditionsThatMicrosoftsProcedureNamesBlockTheDomain() {
        PlanDecision fallback = PlanGenerator.decide(discovered(DOMAIN, TARGET, MxClassification.LEGACY_EXCHANGE_ONLINE,
                MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, LEGACY), new MxRecord(20, DomainName.of("backup.example.net")))), PlanOptions.defaults());
        assertThat(codes(fallback)).containsExactly("NOT_A_SINGLE_MX");
        PlanDecision preference = PlanGenerator.decide(discovered(DOMAIN, TARGET, MxClassification.LEGACY_EXCHANGE_ONLINE,
                MxRecordSet.of(DOMAIN, 3600, new MxRecord(5, LEGACY))), PlanOptions.defaults());
        assertThat(codes(preference)).containsExactly("LEGACY_PREFERENCE");
        PlanDecision gateway = PlanGenerator.decide(discovered(DOMAIN, TARGET, MxClassification.THIRD_PARTY_GATEWAY,
                MxRecordSet.of(DOMAIN, 3600, new MxRecord(10, DomainName.of("mx1.gateway-filter.net")))), PlanOptions.defaults());
        assertThat(codes(gateway)).containsExactly("NOT_ELIGIBLE");
        PlanDecision wrongTarget = PlanGenerator.decide(discovered(DOMAIN, DomainName.of("contoso-com.mail.eo.outlook.com"),
                MxClassification.LEGACY_EXCHANGE_ONLINE, MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, LEGACY))), PlanOptions.defaults());
        assertThat(codes(wrongTarget)).containsExactly("TARGET_NOT_MX_MICROSOFT");
    }

    @Test
    void theSameInputGivesTheSamePlanAndChecksum() {
        MxRecordSet legacy = MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, LEGACY));
        MigrationState state = discovered(DOMAIN, TARGET, MxClassification.LEGACY_EXCHANGE_ONLINE, legacy);
        StagedPlan first = planned(PlanGenerator.decide(state, PlanOptions.defaults()));
        StagedPlan second = planned(PlanGenerator.decide(state, PlanOptions.defaults()));
        assertThat(second).isEqualTo(first);
        assertThat(second.checksum()).isEqualTo(first.checksum());
        assertThat(planned(PlanGenerator.decide(state, new PlanOptions(120, null))).checksum()).isNotEqualTo(first.checksum());
    }

    @Test
    void withReviewRequiredOnlyAnApprovedChecksumGoesAheadAndAChangedDomainNeedsANewReview() {
        MxRecordSet legacy = MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, LEGACY));
        MigrationState state = discovered(DOMAIN, TARGET, MxClassification.LEGACY_EXCHANGE_ONLINE, legacy);
        String reviewed = planned(PlanGenerator.decide(state, PlanOptions.defaults())).checksum();

        assertThat(PlanGenerator.decide(state, PlanOptions.defaults().reviewed(java.util.Set.of(reviewed))))
                .isInstanceOf(PlanDecision.Planned.class);
        PlanDecision unreviewed = PlanGenerator.decide(state, PlanOptions.defaults().reviewed(java.util.Set.of()));
        assertThat(codes(unreviewed)).containsExactly("PLAN_NOT_REVIEWED");
        assertThat(((PlanDecision.Blocked) unreviewed).reasons().get(0).message()).contains(reviewed);

        MigrationState edited = discovered(DOMAIN, TARGET, MxClassification.LEGACY_EXCHANGE_ONLINE, legacy.withTtl(1800));
        assertThat(codes(PlanGenerator.decide(edited, PlanOptions.defaults().reviewed(java.util.Set.of(reviewed)))))
                .containsExactly("PLAN_NOT_REVIEWED");
        assertThatThrownBy(() -> PlanOptions.defaults().reviewed(java.util.Set.of("abc"))).hasMessageContaining("64 hex digits");
    }

    @Test
    void aPolicyThatWouldRefuseTheNewHostIsUpdatedFirstAndTheRollbackRestoresItsIdAndText() {
        MxRecordSet legacy = MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, LEGACY));
        String old = "version: STSv1\r\nmode: enforce\r\nmx: *.mail.protection.outlook.com\r\nmx: *.mx.microsoft\r\nmax_age: 604800\r\n";
        MtaStsSnapshot sts = mtaSts(old);
        StagedPlan plan = planned(PlanGenerator.decide(discovered(DOMAIN, TARGET, MxClassification.LEGACY_EXCHANGE_ONLINE, legacy, sts),
                PlanOptions.defaults()));

        PlanStep.External publish = (PlanStep.External) plan.steps().get(0);
        assertThat(publish.action()).isEqualTo(ExternalAction.PUBLISH_MTA_STS_POLICY);
        assertThat(publish.detail()).contains("https://mta-sts.contoso.com/.well-known/mta-sts.txt",
                "mx: *.mail.protection.outlook.com\r\n", "mx: *.mx.microsoft\r\n", "mx: contoso-com.o-v1.mx.microsoft\r\n");
        assertThat(publish.rollbackDetail()).endsWith(old);
        PlanStep.ChangeRecordSet id = (PlanStep.ChangeRecordSet) plan.steps().get(1);
        assertThat(id.expectedBefore()).isEqualTo(sts.txt());
        assertThat(id.target().rdata()).singleElement().asString().matches("\"v=STSv1; id=mxshift[0-9a-f]{16}\"");
        assertThat(plan.steps().get(2).purpose()).isEqualTo(StepPurpose.LOWER_MX_TTL);

        List<PlanStep> rollback = plan.rollback();
        assertThat(rollback.get(rollback.size() - 2)).isEqualTo(new PlanStep.ChangeRecordSet(StepPurpose.ROLLBACK, id.target(), sts.txt()));
        assertThat(rollback.get(rollback.size() - 1)).isEqualTo(new PlanStep.External(StepPurpose.ROLLBACK,
                ExternalAction.RESTORE_MTA_STS_POLICY, publish.rollbackDetail(), publish.detail()));
    }

    @Test
    void aPolicyThatAlreadyCoversTheNewHostOrEnforcesNothingIsLeftAlone() {
        MxRecordSet legacy = MxRecordSet.of(DOMAIN, 3600, new MxRecord(0, LEGACY));
        MtaStsSnapshot covering = mtaSts("version: STSv1\r\nmode: enforce\r\nmx: *.mail.protection.outlook.com\r\nmx: *.o-v1.mx.microsoft\r\nmax_age: 86400\r\n");
        MtaStsSnapshot none = mtaSts("version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n");
        for (MtaStsSnapshot sts : List.of(covering, none)) {
            StagedPlan plan = planned(PlanGenerator.decide(discovered(DOMAIN, TARGET, MxClassification.LEGACY_EXCHANGE_ONLINE, legacy, sts),
                    PlanOptions.defaults()));
            assertThat(plan.steps()).noneMatch(step -> step.purpose() == StepPurpose.UPDATE_MTA_STS_POLICY);
        }
    }

    private static List<String> codes(PlanDecision decision) {
        assertThat(decision).isInstanceOf(PlanDecision.Blocked.class);
        return ((PlanDecision.Blocked) decision).reasons().stream().map(dev.mxshift.model.event.Finding::code).toList();
    }
}
