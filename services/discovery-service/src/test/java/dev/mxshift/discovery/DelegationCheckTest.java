package dev.mxshift.discovery;

import dev.mxshift.discovery.DelegationCheck.Asked;
import dev.mxshift.discovery.DelegationCheck.Behaviour;
import dev.mxshift.discovery.DelegationCheck.Verdict;
import dev.mxshift.discovery.dns.DnsAnswer;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The judgement of what one delegated name server did when asked for the zone's SOA without recursion. */
class DelegationCheckTest {

    private static final Name ZONE = name("lamedelegation.com");
    private static final Name SERVER = name("lame.example.net");
    private static final String ADDRESS = "192.0.2.7";

    @Test
    void aServerThatRefusesTheZoneIsNamedWithItsAddressAndTheRefusal() {
        Verdict verdict = judge(reply(Rcode.REFUSED, false, List.of(), List.of()));
        assertThat(verdict.behaviour()).isEqualTo(Behaviour.REFUSED);
        assertThat(verdict.words()).isEqualTo("lame.example.net (192.0.2.7) answered REFUSED for lamedelegation.com");
    }

    @Test
    void aReferralToTheZonesOwnNsSetThatNamesTheServerIsAReferralBackToItself() {
        Verdict verdict = judge(reply(Rcode.NOERROR, false, List.of(),
                List.of(record("lamedelegation.com", Type.NS, "lame.example.net."), record("lamedelegation.com", Type.NS, "ns2.example.net."))));
        assertThat(verdict.behaviour()).isEqualTo(Behaviour.REFERRAL_TO_ITSELF);
        assertThat(verdict.words()).contains("lame.example.net (192.0.2.7)").contains("back to itself")
                .contains("lame.example.net, ns2.example.net");
    }

    @Test
    void aReferralToOtherServersForTheZoneIsNotAnAnswer() {
        Verdict verdict = judge(reply(Rcode.NOERROR, false, List.of(), List.of(record("lamedelegation.com", Type.NS, "ns9.example.org."))));
        assertThat(verdict.behaviour()).isEqualTo(Behaviour.REFERRAL_ELSEWHERE);
        assertThat(verdict.words()).contains("referred lamedelegation.com to ns9.example.org");
    }

    @Test
    void aReferralToTheRootOrATldIsAnUpwardReferral() {
        Verdict root = judge(reply(Rcode.NOERROR, false, List.of(), List.of(record(".", Type.NS, "a.root-servers.net."))));
        assertThat(root.behaviour()).isEqualTo(Behaviour.UPWARD_REFERRAL);
        assertThat(root.words()).contains("upward referral to .").contains("a.root-servers.net");
        Verdict tld = judge(reply(Rcode.NOERROR, false, List.of(), List.of(record("com", Type.NS, "a.gtld-servers.net."))));
        assertThat(tld.behaviour()).isEqualTo(Behaviour.UPWARD_REFERRAL);
        assertThat(tld.words()).contains("upward referral to com");
    }

    @Test
    void noAnswerWithinTheTimeOutIsSaidAsSuch() {
        Verdict verdict = judge(Lookup.failed("Query timed out"));
        assertThat(verdict.behaviour()).isEqualTo(Behaviour.NO_ANSWER);
        assertThat(verdict.words()).isEqualTo("lame.example.net (192.0.2.7) did not answer for lamedelegation.com (time-out: Query timed out)");
    }

    @Test
    void theZonesSoaWithAuthorityIsAnAnswer() {
        Verdict verdict = judge(reply(Rcode.NOERROR, true,
                List.of(record("lamedelegation.com", Type.SOA, "ns1.example. hostmaster.example. 1 3600 600 604800 300")), List.of()));
        assertThat(verdict.behaviour()).isEqualTo(Behaviour.ANSWERED);
        assertThat(verdict.words()).contains("answers for lamedelegation.com with authority");
    }

    @Test
    void anAuthoritativeAnswerFromAnEnclosingZoneIsNotAuthorityForTheZone() {
        Verdict verdict = judge(reply(Rcode.NXDOMAIN, true, List.of(),
                List.of(record("com", Type.SOA, "a.gtld-servers.net. nstld.example. 1 1800 900 604800 86400"))));
        assertThat(verdict.behaviour()).isEqualTo(Behaviour.NOT_AUTHORITATIVE);
        assertThat(verdict.words()).contains("NXDOMAIN").contains("from its own zone com");
    }

    @Test
    void anEmptyAnswerWithoutAuthorityOrReferralIsNotAuthoritative() {
        assertThat(judge(reply(Rcode.NOERROR, false, List.of(), List.of())).behaviour()).isEqualTo(Behaviour.NOT_AUTHORITATIVE);
        assertThat(judge(reply(Rcode.SERVFAIL, false, List.of(), List.of())).behaviour()).isEqualTo(Behaviour.FAILED);
    }

    @Test
    void aNameWithoutAnAddressIsNamedWithTheLookupThatFoundNone() {
        Verdict verdict = DelegationCheck.judge(ZONE, new Asked(SERVER, null, Lookup.failed("lame.example.net./A: no answer after 4 attempts")));
        assertThat(verdict.behaviour()).isEqualTo(Behaviour.NO_ADDRESS);
        assertThat(verdict.words()).startsWith("lame.example.net has no address");
    }

    @Test
    void theDelegationIsLameWhenNoServerAnswersAndNotWhenOneDoes() {
        Asked refused = new Asked(SERVER, ADDRESS, reply(Rcode.REFUSED, false, List.of(), List.of()));
        Asked silent = new Asked(name("ns2.example.net"), "192.0.2.8", Lookup.failed("Query timed out"));
        Asked answers = new Asked(name("ns3.example.net"), "192.0.2.9", reply(Rcode.NOERROR, true,
                List.of(record("lamedelegation.com", Type.SOA, "ns3.example.net. hostmaster.example. 1 3600 600 604800 300")), List.of()));
        DelegationCheck lame = new DelegationCheck(ZONE, List.of(SERVER, silent.server()), "NS from the parent", List.of(refused, silent));
        assertThat(lame.lame()).isTrue();
        assertThat(lame.refusedOrReferred()).isTrue();
        assertThat(lame.describe()).isEqualTo("lame.example.net (192.0.2.7) answered REFUSED for lamedelegation.com;"
                + " ns2.example.net (192.0.2.8) did not answer for lamedelegation.com (time-out: Query timed out)");
        DelegationCheck down = new DelegationCheck(ZONE, List.of(silent.server()), "NS from the parent", List.of(silent));
        assertThat(down.lame()).isTrue();
        assertThat(down.refusedOrReferred()).isFalse();
        assertThat(new DelegationCheck(ZONE, List.of(SERVER, answers.server()), "NS", List.of(refused, answers)).lame()).isFalse();
        assertThat(DelegationCheck.unlearned(ZONE, "no parent").lame()).isFalse();
    }

    private static Verdict judge(Lookup reply) {
        return DelegationCheck.judge(ZONE, new Asked(SERVER, ADDRESS, reply));
    }

    private static Lookup reply(int rcode, boolean aa, List<Record> answer, List<Record> authority) {
        return Lookup.of(new DnsAnswer(ZONE, Type.SOA, rcode, answer, aa, true, ADDRESS + ":53", 1, "", authority));
    }

    static Record record(String owner, int type, String rdata) {
        try {
            return Record.fromString(name(owner), type, DClass.IN, 3600, rdata, Name.root);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Name name(String text) {
        return Name.fromConstantString(text.endsWith(".") ? text : text + ".");
    }
}
