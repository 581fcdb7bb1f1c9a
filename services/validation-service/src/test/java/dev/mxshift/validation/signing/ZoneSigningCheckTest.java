package dev.mxshift.validation.signing;

import dev.mxshift.validation.signing.ZoneSigningCheck.Broken;
import dev.mxshift.validation.signing.ZoneSigningCheck.Facts;
import dev.mxshift.validation.signing.ZoneSigningCheck.NotYet;
import dev.mxshift.validation.signing.ZoneSigningCheck.ServerFacts;
import dev.mxshift.validation.signing.ZoneSigningCheck.Signed;
import dev.mxshift.validation.signing.ZoneSigningCheck.Verdict;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.RRset;

import java.time.Duration;
import java.util.List;

import static dev.mxshift.validation.signing.TestZone.NOW;
import static dev.mxshift.validation.signing.TestZone.signed;
import static org.assertj.core.api.Assertions.assertThat;

class ZoneSigningCheckTest {

    private static final String PRIMARY = "ns1.lab-dns.net (127.0.10.1:5300)";
    private static final String SECONDARY = "bind.lab-dns.net (127.0.0.1:5301)";

    private final TestZone zone = new TestZone("contoso.com");
    private final TestZone.Key ksk = zone.key(257);
    private final TestZone.Key zsk = zone.key(256);

    /** A server that serves the zone signed as a signer does it: the key set by the KSK, the rest by the ZSK. */
    private ServerFacts signedServer(String server) {
        return new ServerFacts(server, null, true, signed(zone.keys(ksk, zsk), ksk), signed(zone.soa(), zsk),
                signed(zone.ns(), zsk), signed(zone.mx(300), zsk));
    }

    private Verdict decide(List<DSRecord> expected, ServerFacts... servers) {
        return ZoneSigningCheck.decide(new Facts(zone.origin, List.of(servers)), expected, NOW);
    }

    @Test
    void aZoneSignedOnEveryServerIsSignedAndItsDsIsTheSepKeysAtSha256() {
        Verdict verdict = decide(List.of(), signedServer(PRIMARY), signedServer(SECONDARY));

        assertThat(verdict).as(verdict.summary()).isInstanceOf(Signed.class);
        Signed signed = (Signed) verdict;
        assertThat(signed.dsToPublish()).containsExactly(ksk.ds());
        assertThat(signed.dsToPublish().get(0).getDigestID()).isEqualTo(2);
        assertThat(signed.servers()).containsExactly(PRIMARY, SECONDARY);
        assertThat(signed.largestSignatureTtl()).as("the DNSKEY, SOA and NS signatures' 3600 over the MX's 300").isEqualTo(3600);
    }

    @Test
    void theExpectedDsIsKeptWhenItNamesTheKeyThatSignsTheKeySet() {
        Verdict verdict = decide(List.of(ksk.ds()), signedServer(PRIMARY));

        assertThat(verdict).isInstanceOf(Signed.class);
        assertThat(((Signed) verdict).dsToPublish()).containsExactly(ksk.ds());
    }

    @Test
    void aZoneSignedWithOneKeyWithoutSepGetsTheDsOfThatKey() {
        TestZone.Key csk = zone.key(256);
        ServerFacts server = new ServerFacts(PRIMARY, null, true, signed(zone.keys(csk), csk), signed(zone.soa(), csk),
                signed(zone.ns(), csk), signed(zone.mx(300), csk));

        Verdict verdict = decide(List.of(), server);

        assertThat(((Signed) verdict).dsToPublish()).containsExactly(csk.ds());
    }

    @Test
    void anExpectedDsThatMatchesNoServedKeyIsBrokenAndTheRightDsIsNamed() {
        TestZone.Key other = zone.key(257);

        Verdict verdict = decide(List.of(other.ds()), signedServer(PRIMARY));

        assertThat(verdict).isInstanceOf(Broken.class);
        assertThat(verdict.summary()).contains(other.ds().rdataToString()).contains("matches none of the keys")
                .contains("publish the DS of a served key: " + ksk.ds().rdataToString());
    }

    @Test
    void aDsWhoseKeyDoesNotSignTheKeySetIsBroken() {
        // The KSK is served but the key set is signed only by the ZSK: a validator arriving with the KSK's DS is stuck.
        ServerFacts server = new ServerFacts(PRIMARY, null, true, signed(zone.keys(ksk, zsk), zsk), signed(zone.soa(), zsk),
                signed(zone.ns(), zsk), signed(zone.mx(300), zsk));

        Verdict verdict = decide(List.of(), server);

        assertThat(verdict).isInstanceOf(Broken.class);
        assertThat(verdict.summary()).contains(PRIMARY).contains("names key " + ksk.dnskey().getFootprint())
                .contains("does not sign the DNSKEY set");
    }

    @Test
    void aSecondaryWithoutTheKeysIsNotYetAndNamed() {
        ServerFacts unsignedSecondary = new ServerFacts(SECONDARY, null, true, null, zone.soa(), zone.ns(), zone.mx(300));

        Verdict verdict = decide(List.of(), signedServer(PRIMARY), unsignedSecondary);

        assertThat(verdict).isInstanceOf(NotYet.class);
        assertThat(((NotYet) verdict).unsigned()).isFalse();
        assertThat(((NotYet) verdict).waitingFor()).singleElement().asString().startsWith(SECONDARY)
                .contains("serves no DNSKEY set").contains("not transferred");
    }

    @Test
    void aZoneNoServerSignsIsNotYetAndUnsigned() {
        Verdict verdict = decide(List.of(), new ServerFacts(PRIMARY, null, true, null, zone.soa(), zone.ns(), zone.mx(300)));

        assertThat(verdict).isInstanceOf(NotYet.class);
        assertThat(((NotYet) verdict).unsigned()).isTrue();
        assertThat(verdict.summary()).contains("not signed").contains(PRIMARY);
    }

    @Test
    void aServerThatDoesNotAnswerIsWaitedFor() {
        Verdict verdict = decide(List.of(), signedServer(PRIMARY), ServerFacts.unreachable(SECONDARY, "timed out"));

        assertThat(verdict).isInstanceOf(NotYet.class);
        assertThat(verdict.summary()).contains(SECONDARY + " did not answer (timed out)");
    }

    @Test
    void aSetWithoutSignatureUnderServedKeysIsStillBeingSigned() {
        ServerFacts server = new ServerFacts(PRIMARY, null, true, signed(zone.keys(ksk, zsk), ksk), signed(zone.soa(), zsk),
                signed(zone.ns(), zsk), zone.mx(300));

        Verdict verdict = decide(List.of(), server);

        assertThat(verdict).isInstanceOf(NotYet.class);
        assertThat(verdict.summary()).contains(PRIMARY).contains("contoso.com MX without an RRSIG");
    }

    @Test
    void anExpiredSignatureIsBrokenNamingTheServerAndTheSet() {
        ServerFacts server = new ServerFacts(PRIMARY, null, true, signed(zone.keys(ksk, zsk), ksk), signed(zone.soa(), zsk),
                signed(zone.ns(), zsk), signed(zone.mx(300), NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1)), zsk));

        Verdict verdict = decide(List.of(), signedServer(SECONDARY), server);

        assertThat(verdict).isInstanceOf(Broken.class);
        assertThat(((Broken) verdict).problems()).singleElement().asString().startsWith(PRIMARY + ": contoso.com MX")
                .contains("expired");
    }

    @Test
    void aSignatureNotYetValidIsBroken() {
        ServerFacts server = new ServerFacts(PRIMARY, null, true, signed(zone.keys(ksk, zsk), ksk),
                signed(zone.soa(), NOW.plus(Duration.ofHours(2)), NOW.plus(Duration.ofDays(7)), zsk), signed(zone.ns(), zsk),
                signed(zone.mx(300), zsk));

        Verdict verdict = decide(List.of(), server);

        assertThat(verdict).isInstanceOf(Broken.class);
        assertThat(verdict.summary()).contains("contoso.com SOA").contains("valid only from").contains("clock");
    }

    @Test
    void aSignatureOverOtherDataIsBroken() {
        RRset otherMx = signed(zone.set(org.xbill.DNS.Type.MX, 300, "10 elsewhere.example."), zsk);
        ServerFacts server = new ServerFacts(PRIMARY, null, true, signed(zone.keys(ksk, zsk), ksk), signed(zone.soa(), zsk),
                signed(zone.ns(), zsk), TestZone.withSignaturesOf(zone.mx(300), otherMx));

        Verdict verdict = decide(List.of(), server);

        assertThat(verdict).isInstanceOf(Broken.class);
        assertThat(verdict.summary()).contains(PRIMARY + ": contoso.com MX").contains("does not verify");
    }

    @Test
    void serversThatServeDifferentKeySetsAreBroken() {
        TestZone.Key otherKsk = zone.key(257);
        ServerFacts other = new ServerFacts(SECONDARY, null, true, signed(zone.keys(otherKsk, zsk), otherKsk), signed(zone.soa(), zsk),
                signed(zone.ns(), zsk), signed(zone.mx(300), zsk));

        Verdict verdict = decide(List.of(), signedServer(PRIMARY), other);

        assertThat(verdict).isInstanceOf(Broken.class);
        assertThat(verdict.summary()).contains("disagree on the DNSKEY set").contains(PRIMARY).contains(SECONDARY)
                .contains(String.valueOf(otherKsk.dnskey().getFootprint()));
    }

    @Test
    void aServerWithoutAuthorityIsBroken() {
        Verdict verdict = decide(List.of(), signedServer(PRIMARY), new ServerFacts(SECONDARY, null, false, null, null, null, null));

        assertThat(verdict).isInstanceOf(Broken.class);
        assertThat(verdict.summary()).contains(SECONDARY + " answers without authority");
    }

    @Test
    void aZoneWithoutMxIsSignedAndSaysSo() {
        ServerFacts server = new ServerFacts(PRIMARY, null, true, signed(zone.keys(ksk, zsk), ksk), signed(zone.soa(), zsk),
                signed(zone.ns(), zsk), null);

        Verdict verdict = decide(List.of(), server);

        assertThat(verdict).isInstanceOf(Signed.class);
        assertThat(((Signed) verdict).notes()).containsExactly("contoso.com has no MX set (nothing to sign there)");
    }

    @Test
    void aKeySetNotSignedYetIsWaitedForNotBroken() {
        ServerFacts server = new ServerFacts(PRIMARY, null, true, zone.keys(ksk, zsk), signed(zone.soa(), zsk),
                signed(zone.ns(), zsk), signed(zone.mx(300), zsk));

        Verdict verdict = decide(List.of(ksk.ds()), server);

        assertThat(verdict).as(verdict.summary()).isInstanceOf(NotYet.class);
        assertThat(((NotYet) verdict).waitingFor()).containsExactly(PRIMARY + " serves contoso.com DNSKEY without an RRSIG yet"
                + " (is the signer still signing the zone?)");
    }

    @Test
    void aZoneWhoseOnlyKeyIsRevokedHasNoDsToPublish() {
        TestZone.Key revoked = zone.key(257 | org.xbill.DNS.DNSKEYRecord.Flags.REVOKE);
        ServerFacts server = new ServerFacts(PRIMARY, null, true, signed(zone.keys(revoked), revoked), signed(zone.soa(), revoked),
                signed(zone.ns(), revoked), signed(zone.mx(300), revoked));

        Verdict verdict = decide(List.of(), server);

        assertThat(verdict).isInstanceOf(Broken.class);
        assertThat(verdict.summary()).contains("can have a DS").contains("revoked");
    }
}
