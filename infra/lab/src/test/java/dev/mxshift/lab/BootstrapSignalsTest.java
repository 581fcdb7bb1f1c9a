package dev.mxshift.lab;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The parent's RFC 9615 rules (section 4.2), on records made here from real keys; AuthenticatedBootstrapIT runs them through Unbound. */
class BootstrapSignalsTest {

    private static final Name CHILD = LabInternet.name("example.ch.");
    private static final Name NS1 = LabInternet.name("ns1.dns-operator.net.");
    private static final Name NS2 = LabInternet.name("ns2.dns-operator.org.");
    private static final Name IN_BAILIWICK = LabInternet.name("ns3.example.ch.");

    private final DnssecKey key = DnssecKey.generate();
    private final DnssecKey other = DnssecKey.generate();

    @Test
    void theSignallingNameIsTheChildUnderTheHostsSignalDomain() {
        assertThat(BootstrapSignals.signalName(CHILD, NS1).toString()).isEqualTo("_dsboot.example.ch._signal.ns1.dns-operator.net.");
    }

    @Test
    void signalsEqualToTheApexAtEveryOutOfBailiwickHostAuthenticateAndTheInBailiwickHostIsNotAsked() {
        BootstrapSignals.Verdict verdict = BootstrapSignals.evaluate(CHILD, List.of(NS1, NS2, IN_BAILIWICK), cds(key), cdnskey(key),
                Map.of(NS1, BootstrapSignals.SignalAnswer.secure(NS1, cds(key), cdnskey(key)),
                        NS2, BootstrapSignals.SignalAnswer.secure(NS2, cds(key), cdnskey(key))));
        assertThat(verdict).isInstanceOfSatisfying(BootstrapSignals.Verdict.Authenticated.class, a -> assertThat(a.signalNames())
                .extracting(Name::toString)
                .containsExactly("_dsboot.example.ch._signal.ns1.dns-operator.net.", "_dsboot.example.ch._signal.ns2.dns-operator.org."));
        assertThat(BootstrapSignals.hostsToAsk(CHILD, List.of(NS1, IN_BAILIWICK, NS1))).containsExactly(NS1);
    }

    @Test
    void aSignalForAnotherKeyIsNotAccepted() {
        BootstrapSignals.Verdict verdict = BootstrapSignals.evaluate(CHILD, List.of(NS1), cds(key), cdnskey(key),
                Map.of(NS1, BootstrapSignals.SignalAnswer.secure(NS1, cds(other), cdnskey(key))));
        assertThat(verdict).isInstanceOfSatisfying(BootstrapSignals.Verdict.NotAuthenticated.class,
                n -> assertThat(n.reason()).startsWith("CDS at _dsboot.example.ch._signal.ns1.dns-operator.net.")
                        .contains(cds(key).first().rdataToString().toUpperCase(java.util.Locale.ROOT)));
    }

    @Test
    void aSignalMissingAtOneHostIsNotAcceptedEvenWhenTheOtherVouches() {
        BootstrapSignals.Verdict verdict = BootstrapSignals.evaluate(CHILD, List.of(NS1, NS2), cds(key), cdnskey(key),
                Map.of(NS1, BootstrapSignals.SignalAnswer.secure(NS1, cds(key), cdnskey(key)),
                        NS2, BootstrapSignals.SignalAnswer.secure(NS2, null, null)));
        assertThat(verdict).isInstanceOfSatisfying(BootstrapSignals.Verdict.NotAuthenticated.class,
                n -> assertThat(n.reason()).isEqualTo("CDS at _dsboot.example.ch._signal.ns2.dns-operator.org. is absent, the child's apex serves "
                        + CdsEvidence.rdata(cds(key))));
    }

    @Test
    void aCdnskeyPublishedOnOneSideOnlyIsNotAccepted() {
        // RFC 9615 section 4.2 step 4: compared by type, an empty set on one side and not the other included
        BootstrapSignals.Verdict verdict = BootstrapSignals.evaluate(CHILD, List.of(NS1), cds(key), new RRset(),
                Map.of(NS1, BootstrapSignals.SignalAnswer.secure(NS1, cds(key), cdnskey(key))));
        assertThat(verdict).isInstanceOfSatisfying(BootstrapSignals.Verdict.NotAuthenticated.class,
                n -> assertThat(n.reason()).startsWith("CDNSKEY at ").contains("the child's apex serves none"));
    }

    @Test
    void anInsecureOrBogusSignalIsNotAcceptedWhateverItSays() {
        for (BootstrapSignals.Security security : List.of(BootstrapSignals.Security.INSECURE, BootstrapSignals.Security.BOGUS,
                BootstrapSignals.Security.FAILED)) {
            BootstrapSignals.Verdict verdict = BootstrapSignals.evaluate(CHILD, List.of(NS1), cds(key), cdnskey(key),
                    Map.of(NS1, new BootstrapSignals.SignalAnswer(NS1, security, cds(key), cdnskey(key), "the resolver's words")));
            assertThat(verdict).as(security.name()).isInstanceOfSatisfying(BootstrapSignals.Verdict.NotAuthenticated.class,
                    n -> assertThat(n.reason()).contains("is " + security.name().toLowerCase(java.util.Locale.ROOT), "the resolver's words", "AD"));
        }
    }

    @Test
    void aChildWhoseNameServersAreAllInBailiwickCannotBeAuthenticated() {
        Name ns4 = LabInternet.name("ns4.sub.example.ch.");
        BootstrapSignals.Verdict verdict = BootstrapSignals.evaluate(CHILD, List.of(IN_BAILIWICK, ns4), cds(key), cdnskey(key),
                Map.of(IN_BAILIWICK, BootstrapSignals.SignalAnswer.secure(IN_BAILIWICK, cds(key), cdnskey(key))));
        assertThat(verdict).isInstanceOfSatisfying(BootstrapSignals.Verdict.NotAuthenticated.class,
                n -> assertThat(n.reason()).contains("in bailiwick"));
        assertThat(BootstrapSignals.inBailiwick(CHILD, CHILD)).isTrue();
        assertThat(BootstrapSignals.inBailiwick(CHILD, LabInternet.name("ns1.example.ch.net."))).isFalse();
    }

    @Test
    void aHostThatWasNotAskedIsNotTakenAsVouching() {
        BootstrapSignals.Verdict verdict = BootstrapSignals.evaluate(CHILD, List.of(NS1, NS2), cds(key), cdnskey(key),
                Map.of(NS1, BootstrapSignals.SignalAnswer.secure(NS1, cds(key), cdnskey(key))));
        assertThat(verdict).isInstanceOfSatisfying(BootstrapSignals.Verdict.NotAuthenticated.class,
                n -> assertThat(n.reason()).contains("ns2.dns-operator.org", "not asked"));
    }

    private static RRset cds(DnssecKey k) {
        DSRecord ds = k.ds(CHILD, 300);
        return new RRset(new CDSRecord(CHILD, DClass.IN, 300, ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(), ds.getDigest()));
    }

    private static RRset cdnskey(DnssecKey k) {
        DNSKEYRecord key = k.dnskey(CHILD, 300);
        return new RRset(new CDNSKEYRecord(CHILD, DClass.IN, 300, key.getFlags(), key.getProtocol(), key.getAlgorithm(), key.getKey()));
    }
}
