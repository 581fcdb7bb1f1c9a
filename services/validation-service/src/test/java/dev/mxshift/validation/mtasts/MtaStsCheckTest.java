package dev.mxshift.validation.mtasts;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MtaStsPolicy;
import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.event.MtaStsSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MtaStsCheckTest {

    private static final DomainName LEGACY = DomainName.of("contoso-com.mail.protection.outlook.com");
    private static final DomainName TARGET = DomainName.of("contoso-com.o-v1.mx.microsoft");
    private static final RecordSet TXT = new RecordSet("_mta-sts.contoso.com", "TXT", 3600, List.of("\"v=STSv1; id=abc123\""));

    @Test
    void aOneLabelWildcardDoesNotCoverTheTwoLabelsBelowMxMicrosoft() {
        MtaStsCheck.Verdict verdict = check(MtaStsPolicy.Mode.ENFORCE, "*.mail.protection.outlook.com", "*.mx.microsoft");
        assertThat(verdict.outcome()).isEqualTo(MtaStsCheck.Outcome.NOT_COVERED);
        assertThat(verdict.uncovered()).containsExactly(TARGET);
        MtaStsPolicy needed = MtaStsPolicy.parse(verdict.policyNeeded());
        assertThat(needed.covers(TARGET)).isTrue();
        assertThat(needed.covers(LEGACY)).isTrue();
        assertThat(needed.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(needed.maxAge()).isEqualTo(verdict.maxAge());
    }

    @Test
    void anExactOrOneLabelWildcardEntryCovers() {
        assertThat(check(MtaStsPolicy.Mode.ENFORCE, LEGACY.value(), TARGET.value()).outcome()).isEqualTo(MtaStsCheck.Outcome.COVERED);
        assertThat(check(MtaStsPolicy.Mode.TESTING, "*.o-v1.mx.microsoft", LEGACY.value()).outcome()).isEqualTo(MtaStsCheck.Outcome.COVERED);
    }

    @Test
    void modeNoneAndAMissingPolicyEnforceNothing() {
        assertThat(check(MtaStsPolicy.Mode.NONE, "*.mail.protection.outlook.com").outcome()).isEqualTo(MtaStsCheck.Outcome.NOT_ENFORCED);
        assertThat(MtaStsCheck.check(null, List.of(TARGET)).outcome()).isEqualTo(MtaStsCheck.Outcome.NO_POLICY);
        assertThat(MtaStsCheck.check(new MtaStsSnapshot(TXT, null), List.of(TARGET)).outcome()).isEqualTo(MtaStsCheck.Outcome.POLICY_UNAVAILABLE);
    }

    private static MtaStsCheck.Verdict check(MtaStsPolicy.Mode mode, String... mx) {
        return MtaStsCheck.check(new MtaStsSnapshot(TXT, new MtaStsPolicy(mode, List.of(mx), 86400)), List.of(LEGACY, TARGET));
    }
}
