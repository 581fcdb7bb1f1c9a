package dev.mxshift.validation.propagation;

import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.StepVerificationFailed;
import dev.mxshift.model.event.StepVerified;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StepPurpose;
import dev.mxshift.model.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Given what each authoritative server answered, when a step is judged, then verified only if every one is right. */
class StepVerifierTest {

    private static final RecordSet OLD = new RecordSet("_mta-sts.contoso.com", "TXT", 3600, List.of("\"v=STSv1; id=Old1\""));
    private static final RecordSet NEW = new RecordSet("_mta-sts.contoso.com", "TXT", 3600, List.of("\"v=STSv1; id=New2\""));
    private static final PlanStep STEP = new PlanStep.ChangeRecordSet(StepPurpose.UPDATE_MTA_STS_POLICY, OLD, NEW);

    @Test
    void everyServerServingTheTargetSignedAndCurrentIsVerified() {
        MigrationEvent result = decide(List.of(good("ns1"), good("ns2")), 7);
        assertThat(result).isInstanceOf(StepVerified.class);
        assertThat(((StepVerified) result).evidence()).hasSize(2);
    }

    @Test
    void oneLaggingServerFailsTheStepAndIsNamed() {
        ServerAnswer stale = new ServerAnswer("ns2", OLD, true, true, "", 6, null);
        StepVerificationFailed failed = (StepVerificationFailed) decide(List.of(good("ns1"), stale), 7);
        assertThat(failed.reason()).startsWith("ns2 serves").doesNotContain("ns1");
        assertThat(failed.evidence()).hasSize(2);
    }

    @Test
    void anOlderSerialABadSignatureNoAuthorityOrSilenceEachFail() {
        assertThat(reason(new ServerAnswer("ns1", NEW, true, true, "", 6, null))).contains("SOA serial 6");
        assertThat(reason(new ServerAnswer("ns1", NEW, true, false, "signature expired", 7, null))).contains("bad signature (signature expired)");
        assertThat(reason(new ServerAnswer("ns1", NEW, false, null, "", 7, null))).contains("without authority");
        assertThat(reason(new ServerAnswer("ns1", null, false, null, "", -1, "ns1 did not answer: timeout"))).contains("did not answer");
    }

    @Test
    void txtDataIsComparedExactlyButMxHostsWithoutCase() {
        RecordSet otherCase = new RecordSet("_mta-sts.contoso.com", "TXT", 3600, List.of("\"v=STSv1; id=new2\""));
        assertThat(reason(new ServerAnswer("ns1", otherCase, true, true, "", 7, null))).contains("not");
        var mx = Fixtures.legacyMx(Fixtures.DOMAIN);
        PlanStep lower = new PlanStep.ChangeMx(StepPurpose.LOWER_MX_TTL, mx, mx.withTtl(300));
        RecordSet upper = new RecordSet("contoso.com", "MX", 300, List.of("0 CONTOSO-COM.mail.protection.outlook.com."));
        assertThat(StepVerifier.decide(Direction.FORWARD, 0, StepVerifier.expectationOf(lower, Fixtures.TARGET_HOST),
                List.of(new ServerAnswer("ns1", upper, true, null, "", 1, null)), 0, null)).isInstanceOf(StepVerified.class);
    }

    /** A fix's alias (decision 0036): the target name compares without case, a different name or TTL fails. */
    @Test
    void aFixedAliasIsVerifiedWhateverTheCaseOfItsTargetButNotWithAnotherTargetOrTtl() {
        RecordSet swept = new RecordSet("relay.contoso.com", "CNAME", 3600, List.of("contoso-com.mail.protection.outlook.com."));
        RecordSet fixed = new RecordSet("relay.contoso.com", "CNAME", 3600, List.of("contoso-com.o-v1.mx.microsoft."));
        PlanStep fix = new PlanStep.ChangeRecordSet(StepPurpose.FIX_LEGACY_REFERENCE, swept, fixed);
        var expected = StepVerifier.expectationOf(fix, Fixtures.TARGET_HOST);
        RecordSet upper = new RecordSet("relay.contoso.com", "CNAME", 3600, List.of("CONTOSO-COM.o-v1.mx.microsoft."));
        assertThat(StepVerifier.decide(Direction.FORWARD, 9, expected, List.of(new ServerAnswer("ns1", upper, true, true, "", 1, null)), 0, null))
                .isInstanceOf(StepVerified.class);
        assertThat(StepVerifier.decide(Direction.FORWARD, 9, expected, List.of(new ServerAnswer("ns1", swept, true, true, "", 1, null)), 0, null))
                .isInstanceOf(StepVerificationFailed.class);
        assertThat(StepVerifier.decide(Direction.FORWARD, 9, expected, List.of(new ServerAnswer("ns1",
                new RecordSet("relay.contoso.com", "CNAME", 60, fixed.rdata()), true, true, "", 1, null)), 0, null))
                .isInstanceOf(StepVerificationFailed.class);
    }

    @Test
    void aStepThatBringsTheNewHostInIsNotVerifiedWithoutDane() {
        var legacy = Fixtures.legacyMx(Fixtures.DOMAIN);
        var both = legacy.withRecords(List.of(legacy.records().get(0), new dev.mxshift.model.dns.MxRecord(20, Fixtures.TARGET_HOST)));
        PlanStep add = new PlanStep.ChangeMx(StepPurpose.ADD_NEW_MX, legacy, both);
        StepVerifier.Expectation expected = StepVerifier.expectationOf(add, Fixtures.TARGET_HOST);
        assertThat(expected.daneHost()).isEqualTo(Fixtures.TARGET_HOST);
        MigrationEvent result = StepVerifier.decide(Direction.FORWARD, 2, expected,
                List.of(new ServerAnswer("ns1", both.toRecordSet(), true, true, "", 1, null)), 0, null);
        assertThat(((StepVerificationFailed) result).reason()).contains("DANE of " + Fixtures.TARGET_HOST + " was not checked");
    }

    private static String reason(ServerAnswer answer) {
        return ((StepVerificationFailed) decide(List.of(answer), 7)).reason();
    }

    private static MigrationEvent decide(List<ServerAnswer> answers, long serial) {
        return StepVerifier.decide(Direction.FORWARD, 0, StepVerifier.expectationOf(STEP, Fixtures.TARGET_HOST), answers, serial, null);
    }

    private static ServerAnswer good(String server) {
        return new ServerAnswer(server, NEW, true, true, "signed", 7, null);
    }
}
