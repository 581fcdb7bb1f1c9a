package dev.mxshift.validation.signing;

import dev.mxshift.model.dnssec.ParentPath;
import dev.mxshift.model.event.Finding;
import dev.mxshift.validation.signing.ParentView.ParentServer;
import dev.mxshift.validation.signing.ParentView.ResolverAnswer;
import dev.mxshift.validation.signing.SigningPreflight.AlreadySecure;
import dev.mxshift.validation.signing.SigningPreflight.Blocked;
import dev.mxshift.model.dnssec.SigningMode;
import dev.mxshift.validation.signing.SigningPreflight.Proceed;
import dev.mxshift.validation.signing.SigningPreflight.Verdict;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.mxshift.validation.signing.TestZone.name;
import static org.assertj.core.api.Assertions.assertThat;

class SigningPreflightTest {

    private static final ResolverAnswer SECURE = new ResolverAnswer(Rcode.NOERROR, true, null, null, null);
    private static final ResolverAnswer INSECURE = new ResolverAnswer(Rcode.NOERROR, false, null, null, null);
    private static final Name COM = name("com");
    private static final Set<Name> OURS = Set.of(name("ns1.lab-dns.net"), name("bind.lab-dns.net"));

    private final TestZone zone = new TestZone("northwind.net");
    private final TestZone.Key ksk = zone.key(257);
    private final SigningPolicy policy = new SigningPolicy(Map.of("lab-powerdns", Set.of(name("ns1.lab-dns.net"))),
            Map.of("lab-powerdns", Set.of(name("bind.lab-dns.net"))), Map.of(COM, ParentPath.MANUAL), Optional.of(ParentPath.CDS));

    private ParentView view(RRset keys, ResolverAnswer resolver, RRset ds, Set<Name> delegation) {
        return new ParentView(zone.origin, COM, List.of(new ParentServer("a.gtld.test (192.0.2.1:53)", null, true, ds, delegation)), keys, resolver);
    }

    private RRset ds(DSRecord record) {
        RRset set = new RRset();
        set.addRR(record);
        return set;
    }

    @Test
    void anUnsignedZoneWithoutDsOnOurServersIsSignedAndItsDsGoesByTheParentsPath() {
        Verdict verdict = SigningPreflight.decide(view(null, INSECURE, null, OURS), "lab-powerdns", policy);

        assertThat(verdict).as(verdict.summary()).isInstanceOf(Proceed.class);
        Proceed proceed = (Proceed) verdict;
        assertThat(proceed.mode()).isEqualTo(SigningMode.SIGN);
        assertThat(proceed.parent()).isEqualTo(COM);
        assertThat(proceed.path()).isEqualTo(ParentPath.MANUAL);
    }

    @Test
    void aSignedZoneWithoutDsIsChainedAsItIs() {
        Verdict verdict = SigningPreflight.decide(view(zone.keys(ksk), INSECURE, null, OURS), "lab-powerdns", policy);

        assertThat(((Proceed) verdict).mode()).isEqualTo(SigningMode.CHAIN);
    }

    @Test
    void aParentWithoutItsOwnPathTakesTheDefault() {
        ParentView view = new ParentView(zone.origin, name("net"), List.of(new ParentServer("a", null, true, null, OURS)), null, INSECURE);

        assertThat(((Proceed) SigningPreflight.decide(view, "lab-powerdns", policy)).path()).isEqualTo(ParentPath.CDS);
    }

    @Test
    void aSecureZoneWithADsNeedsNothing() {
        Verdict verdict = SigningPreflight.decide(view(zone.keys(ksk), SECURE, ds(ksk.ds()), OURS), "lab-powerdns", policy);

        assertThat(verdict).isInstanceOf(AlreadySecure.class);
    }

    @Test
    void aLameZoneIsALookupFailureNeverBogusEvenWhenTheResolverSaysDnskeyMissing() {
        // The delegation's servers refuse the zone: nothing can be fetched, checked or not. Issue 29 item 5.
        ResolverAnswer lame = new ResolverAnswer(Rcode.SERVFAIL, false, ExtendedErrorCodeOption.DNSKEY_MISSING, null, Rcode.SERVFAIL);

        Verdict verdict = SigningPreflight.decide(view(null, lame, ds(ksk.ds()), OURS), "lab-powerdns", policy);

        assertThat(verdict).isInstanceOf(Blocked.class);
        assertThat(((Blocked) verdict).findings()).extracting(Finding::code).contains("ZONE_LOOKUP_FAILED").doesNotContain("ZONE_BOGUS");
    }

    @Test
    void aBogusZoneIsBlockedWithTheWrongDsNamed() {
        DSRecord typo = new DSRecord(zone.origin, DClass.IN, 3600, ksk.ds().getFootprint(), 13, DNSSEC.Digest.SHA256, new byte[32]);
        ResolverAnswer bogus = new ResolverAnswer(Rcode.SERVFAIL, false, ExtendedErrorCodeOption.DNSKEY_MISSING, null, Rcode.NOERROR);

        Verdict verdict = SigningPreflight.decide(view(zone.keys(ksk), bogus, ds(typo), OURS), "lab-powerdns", policy);

        assertThat(verdict).isInstanceOf(Blocked.class);
        assertThat(((Blocked) verdict).findings()).extracting(Finding::code).containsExactly("ZONE_BOGUS");
        assertThat(verdict.summary()).contains(typo.rdataToString()).contains("replace it at the parent with " + ksk.ds().rdataToString());
    }

    @Test
    void everyForeignNameServerInTheDelegationIsNamed() {
        Set<Name> delegation = Set.of(name("ns1.lab-dns.net"), name("ns1.otherhost.example"), name("ns2.otherhost.example"));

        Verdict verdict = SigningPreflight.decide(view(null, INSECURE, null, delegation), "lab-powerdns", policy);

        assertThat(verdict).isInstanceOf(Blocked.class);
        Blocked blocked = (Blocked) verdict;
        assertThat(blocked.mode()).isEqualTo(SigningMode.SIGN);
        assertThat(blocked.findings()).extracting(Finding::code).containsExactly("FOREIGN_NAME_SERVER", "FOREIGN_NAME_SERVER");
        assertThat(blocked.findings().get(0).message()).contains("names ns1.otherhost.example").contains("connector lab-powerdns");
        assertThat(blocked.findings().get(1).message()).contains("names ns2.otherhost.example");
    }

    @Test
    void aConnectorWithoutConfiguredServersBlocks() {
        Verdict verdict = SigningPreflight.decide(view(null, INSECURE, null, OURS), "lab-bind", policy);

        assertThat(((Blocked) verdict).findings()).extracting(Finding::code).containsExactly("CONNECTOR_SERVERS_UNKNOWN");
    }

    @Test
    void aParentWithoutAPathAndNoDefaultBlocksNamingTheParent() {
        SigningPolicy noDefault = new SigningPolicy(policy.connectorServers(), policy.declaredSecondaries(), Map.of(), Optional.empty());

        Verdict verdict = SigningPreflight.decide(view(null, INSECURE, null, OURS), "lab-powerdns", noDefault);

        assertThat(((Blocked) verdict).findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("DS_PATH_UNKNOWN");
            assertThat(f.message()).contains("reaches com ");
        });
    }

    @Test
    void aParentServerThatDidNotAnswerBlocksRatherThanGuessingThereIsNoDs() {
        ParentView view = new ParentView(zone.origin, COM, List.of(new ParentServer("a", null, true, null, OURS),
                ParentServer.unreachable("b", "timed out")), null, INSECURE);

        Verdict verdict = SigningPreflight.decide(view, "lab-powerdns", policy);

        assertThat(((Blocked) verdict).findings()).extracting(Finding::code).containsExactly("PARENT_NOT_ASKED");
        assertThat(verdict.summary()).contains("b did not answer (timed out)");
    }

    @Test
    void aParentPathIsReadFromConfigurationWords() {
        assertThat(ParentPath.parse(" Webhook ")).isEqualTo(ParentPath.WEBHOOK);
        assertThat(ParentPath.parse("EPP")).isEqualTo(ParentPath.EPP);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ParentPath.parse("rrr")).hasMessageContaining("cds, manual, webhook, epp");
    }
}
