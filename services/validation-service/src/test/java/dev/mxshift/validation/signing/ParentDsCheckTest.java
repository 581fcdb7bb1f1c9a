package dev.mxshift.validation.signing;

import dev.mxshift.validation.signing.ParentDsCheck.Chained;
import dev.mxshift.validation.signing.ParentDsCheck.Gone;
import dev.mxshift.validation.signing.ParentDsCheck.NotYet;
import dev.mxshift.validation.signing.ParentDsCheck.StillThere;
import dev.mxshift.validation.signing.ParentDsCheck.Verdict;
import dev.mxshift.validation.signing.ParentDsCheck.WrongDs;
import dev.mxshift.validation.signing.ParentView.ParentServer;
import dev.mxshift.validation.signing.ParentView.ResolverAnswer;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ParentDsCheckTest {

    private static final String A = "a.gtld.test (192.0.2.1:53)";
    private static final String B = "b.gtld.test (192.0.2.2:53)";
    private static final ResolverAnswer SECURE = new ResolverAnswer(Rcode.NOERROR, true, null, null, null);
    private static final ResolverAnswer INSECURE = new ResolverAnswer(Rcode.NOERROR, false, null, null, null);

    private final TestZone zone = new TestZone("contoso.com");
    private final TestZone.Key ksk = zone.key(257);
    private final TestZone.Key zsk = zone.key(256);
    private final RRset keys = zone.keys(ksk, zsk);

    private static RRset dsSet(long ttl, DSRecord... records) {
        RRset set = new RRset();
        for (DSRecord ds : records) {
            set.addRR(new DSRecord(ds.getName(), DClass.IN, ttl, ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(), ds.getDigest()));
        }
        return set;
    }

    private static ParentServer serving(String server, RRset ds) {
        return new ParentServer(server, null, true, ds, Set.of(TestZone.name("ns1.lab-dns.net")));
    }

    private ParentView view(ResolverAnswer resolver, ParentServer... servers) {
        return new ParentView(zone.origin, TestZone.name("com"), List.of(servers), keys, resolver);
    }

    @Test
    void everyParentServerServingTheDsAndASecureAnswerIsChainedWithTheLargestDsTtl() {
        Verdict verdict = ParentDsCheck.decide(view(SECURE, serving(A, dsSet(3600, ksk.ds())), serving(B, dsSet(86400, ksk.ds()))),
                List.of(ksk.ds()));

        assertThat(verdict).as(verdict.summary()).isInstanceOf(Chained.class);
        Chained chained = (Chained) verdict;
        assertThat(chained.ds()).containsExactly(ksk.ds());
        assertThat(chained.dsTtl()).isEqualTo(86400);
        assertThat(chained.parentServers()).containsExactly(A, B);
    }

    @Test
    void aParentServerWithoutTheDsIsNotYetAndNamed() {
        Verdict verdict = ParentDsCheck.decide(view(SECURE, serving(A, dsSet(3600, ksk.ds())), serving(B, null)), List.of(ksk.ds()));

        assertThat(verdict).isInstanceOf(NotYet.class);
        assertThat(((NotYet) verdict).waitingFor()).containsExactly(B + " serves no DS for contoso.com yet");
    }

    @Test
    void aResolverThatStillSaysInsecureIsWaitedFor() {
        Verdict verdict = ParentDsCheck.decide(view(INSECURE, serving(A, dsSet(3600, ksk.ds()))), List.of(ksk.ds()));

        assertThat(verdict).isInstanceOf(NotYet.class);
        assertThat(verdict.summary()).contains("validating resolver still says contoso.com is insecure");
    }

    @Test
    void aDsThatMatchesNoKeyIsWrongAtOnceWithTheDsToPublishInstead() {
        DSRecord typo = new DSRecord(zone.origin, DClass.IN, 3600, ksk.ds().getFootprint(), ksk.ds().getAlgorithm(),
                DNSSEC.Digest.SHA256, new byte[32]);

        Verdict verdict = ParentDsCheck.decide(view(INSECURE, serving(A, dsSet(3600, typo)), serving(B, null)), List.of());

        assertThat(verdict).isInstanceOf(WrongDs.class);
        WrongDs wrong = (WrongDs) verdict;
        assertThat(wrong.correctDs()).containsExactly(ksk.ds());
        assertThat(wrong.seen()).containsExactly(typo);
        assertThat(wrong.problems()).singleElement().asString().startsWith(A + " serves the DS " + typo.rdataToString())
                .contains("matches no key of contoso.com");
        assertThat(wrong.summary()).contains("replace it at the parent with " + ksk.ds().rdataToString());
    }

    @Test
    void aBogusAnswerFromTheResolverWhileTheParentServesTheRightDsIsCheckedAgainNotFailedAtOnce() {
        // what a resolver remembers from before a mistyped DS was put right (Unbound keeps bogus answers 60 s)
        ResolverAnswer bogus = new ResolverAnswer(Rcode.SERVFAIL, false, ExtendedErrorCodeOption.DNSKEY_MISSING, "no matching key", Rcode.NOERROR);

        Verdict verdict = ParentDsCheck.decide(view(bogus, serving(A, dsSet(3600, ksk.ds()))), List.of(ksk.ds()));

        assertThat(verdict).isInstanceOf(NotYet.class);
        assertThat(verdict.summary()).contains("resolver says contoso.com is bogus").contains("extended error 9")
                .contains("every DS served matches a key").contains("check the zone's signatures");
    }

    @Test
    void aServfailBothWaysIsTheResolverFailingNotBogus() {
        ResolverAnswer failing = new ResolverAnswer(Rcode.SERVFAIL, false, null, null, Rcode.SERVFAIL);

        Verdict verdict = ParentDsCheck.decide(view(failing, serving(A, dsSet(3600, ksk.ds()))), List.of(ksk.ds()));

        assertThat(verdict).isInstanceOf(NotYet.class);
        assertThat(verdict.summary()).contains("cannot resolve");
    }

    @Test
    void aValidDsOtherThanTheExpectedOneIsNotYetNotWrong() {
        DSRecord sha384 = new DSRecord(zone.origin, DClass.IN, 3600, DNSSEC.Digest.SHA384, ksk.dnskey());

        Verdict verdict = ParentDsCheck.decide(view(SECURE, serving(A, dsSet(3600, sha384))), List.of(ksk.ds()));

        assertThat(verdict).isInstanceOf(NotYet.class);
        assertThat(verdict.summary()).contains("not yet exactly " + ksk.ds().rdataToString());
    }

    @Test
    void aDsAtTheParentOfAZoneWithoutKeysIsWrongAndTheAdviceIsToRemoveIt() {
        ParentView unsignedZone = new ParentView(zone.origin, TestZone.name("com"), List.of(serving(A, dsSet(3600, ksk.ds()))), null,
                new ResolverAnswer(Rcode.SERVFAIL, false, ExtendedErrorCodeOption.DNSSEC_BOGUS, null, Rcode.NOERROR));

        Verdict verdict = ParentDsCheck.decide(unsignedZone, List.of());

        assertThat(verdict).isInstanceOf(WrongDs.class);
        assertThat(verdict.summary()).contains("it serves no DNSKEY").contains("remove the DS at the parent");
    }

    @Test
    void goneWhenNoParentServerServesADsAndTheTtlSeenBeforeIsKept() {
        ParentDsCheck.GoneVerdict verdict = ParentDsCheck.decideGone(view(INSECURE, serving(A, null), serving(B, null)), OptionalLong.of(86400));

        assertThat(verdict).isInstanceOf(Gone.class);
        assertThat(((Gone) verdict).largestDsTtlSeenBefore()).hasValue(86400);
        assertThat(verdict.summary()).contains("up to 86400 s");
    }

    @Test
    void stillThereNamesTheServersThatServeItOrDidNotAnswer() {
        ParentDsCheck.GoneVerdict verdict = ParentDsCheck.decideGone(view(SECURE, serving(A, dsSet(7200, ksk.ds())),
                ParentServer.unreachable(B, "timed out")), OptionalLong.empty());

        assertThat(verdict).isInstanceOf(StillThere.class);
        StillThere still = (StillThere) verdict;
        assertThat(still.largestDsTtl()).isEqualTo(7200);
        assertThat(still.servers()).hasSize(2);
        assertThat(still.servers().get(0)).startsWith(A + " still serves the DS " + ksk.ds().rdataToString());
        assertThat(still.servers().get(1)).startsWith(B + " did not answer");
    }

    @Test
    void theResolverStatusKeepsBogusApartFromAFailure() {
        assertThat(SECURE.status()).isEqualTo(ResolverAnswer.Status.SECURE);
        assertThat(INSECURE.status()).isEqualTo(ResolverAnswer.Status.INSECURE);
        assertThat(new ResolverAnswer(Rcode.SERVFAIL, false, null, null, Rcode.NOERROR).status()).isEqualTo(ResolverAnswer.Status.BOGUS);
        assertThat(new ResolverAnswer(Rcode.SERVFAIL, false, ExtendedErrorCodeOption.SIGNATURE_EXPIRED, null, null).status())
                .isEqualTo(ResolverAnswer.Status.BOGUS);
        assertThat(new ResolverAnswer(Rcode.SERVFAIL, false, ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, null, Rcode.SERVFAIL).status())
                .isEqualTo(ResolverAnswer.Status.FAILED);
    }

    @Test
    void aLameSignedZoneWhoseResolverSaysDnskeyMissingIsFailingNotBogus() {
        // The zone's servers refuse it (a lame delegation): the resolver cannot fetch its DNSKEY and words the SERVFAIL
        // as DNSSEC, but with checking disabled it cannot fetch anything either. That is the delegation, not DNSSEC.
        ResolverAnswer lame = new ResolverAnswer(Rcode.SERVFAIL, false, ExtendedErrorCodeOption.DNSKEY_MISSING,
                "no DNSKEY from 192.0.2.7", Rcode.SERVFAIL);
        assertThat(lame.status()).isEqualTo(ResolverAnswer.Status.FAILED);
        assertThat(lame.describe()).startsWith("failing (SERVFAIL even with checking disabled)");
        // The same words with the data served unchecked are a broken chain.
        assertThat(new ResolverAnswer(Rcode.SERVFAIL, false, ExtendedErrorCodeOption.DNSKEY_MISSING, null, Rcode.NOERROR).status())
                .isEqualTo(ResolverAnswer.Status.BOGUS);
    }
}
