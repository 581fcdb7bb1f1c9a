package dev.mxshift.lab;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The parent's rules for a child's CDS, on records signed here with real keys (the IT runs them against the servers). */
class CdsEvidenceTest {

    private static final Name CHILD = LabInternet.name("example.ch.");
    private static final Instant NOW = Instant.now();

    private final DnssecKey key = DnssecKey.generate();
    private final DnssecKey other = DnssecKey.generate();

    @Test
    void aConsistentSignedCdsOnEveryServerIsWantedAndNotYetChained() throws Exception {
        RRset dnskey = signed(keys(key), key);
        CdsEvidence.Verdict verdict = CdsEvidence.evaluate(CHILD, List.of(answer("a", dnskey, cdsOf(key), key), answer("b", dnskey, cdsOf(key), key)),
                List.of(), 2, NOW);
        assertThat(verdict).isInstanceOfSatisfying(CdsEvidence.Verdict.Wanted.class, w -> {
            assertThat(w.chained()).isFalse();
            assertThat(w.ds()).singleElement().satisfies(ds -> {
                assertThat(ds.getTTL()).isEqualTo(2);
                assertThat(ds.rdataToString()).isEqualTo(key.ds(CHILD, 2).rdataToString());
            });
        });
    }

    @Test
    void serversThatDisagreeAreRefused() throws Exception {
        RRset dnskey = signed(keys(key), key);
        CdsEvidence.Verdict verdict = CdsEvidence.evaluate(CHILD, List.of(answer("primary", dnskey, cdsOf(key), key),
                answer("secondary", dnskey, null, key)), List.of(), 2, NOW);
        assertThat(verdict).isInstanceOfSatisfying(CdsEvidence.Verdict.Refused.class,
                r -> assertThat(r.reason()).contains("disagree on CDS", "primary", "secondary"));
    }

    @Test
    void aCdsForAKeyTheChildDoesNotServeOrAnUnsignedDnskeySetIsRefused() throws Exception {
        RRset dnskey = signed(keys(key), key);
        assertThat(CdsEvidence.evaluate(CHILD, List.of(answer("a", dnskey, cdsOf(other), key)), List.of(), 2, NOW))
                .isInstanceOfSatisfying(CdsEvidence.Verdict.Refused.class, r -> assertThat(r.reason()).contains("matches no DNSKEY"));
        RRset signedByOther = signed(keys(key, other), other);
        assertThat(CdsEvidence.evaluate(CHILD, List.of(answer("a", signedByOther, cdsOf(key), other)), List.of(), 2, NOW))
                .isInstanceOfSatisfying(CdsEvidence.Verdict.Refused.class, r -> assertThat(r.reason()).contains("DNSKEY set has no valid RRSIG"));
    }

    @Test
    void aRolloverMustBeValidatedByTheExistingDs() throws Exception {
        RRset dnskey = signed(keys(key, other), other);
        // The DNSKEY set is signed only by the new key; the parent's DS names the old one: not chained.
        assertThat(CdsEvidence.evaluate(CHILD, List.of(answer("a", dnskey, cdsOf(other), other)), List.of(key.ds(CHILD, 2)), 2, NOW))
                .isInstanceOfSatisfying(CdsEvidence.Verdict.Refused.class, r -> assertThat(r.reason()).contains("existing DS chain"));
        RRset both = signed(keys(key, other), key, other);
        assertThat(CdsEvidence.evaluate(CHILD, List.of(answer("a", both, cdsOf(other), key)), List.of(key.ds(CHILD, 2)), 2, NOW))
                .isInstanceOfSatisfying(CdsEvidence.Verdict.Wanted.class, w -> assertThat(w.chained()).isTrue());
    }

    @Test
    void theDeleteFormIsWantedOnlyWhereADsExists() throws Exception {
        RRset dnskey = signed(keys(key), key);
        RRset delete = new RRset(Record.fromString(CHILD, Type.CDS, DClass.IN, 300, "0 0 0 00", Name.root));
        assertThat(CdsEvidence.evaluate(CHILD, List.of(answer("a", dnskey, delete, key)), List.of(), 2, NOW))
                .isInstanceOf(CdsEvidence.Verdict.NoSignal.class);
        assertThat(CdsEvidence.evaluate(CHILD, List.of(answer("a", dnskey, delete, key)), List.of(key.ds(CHILD, 2)), 2, NOW))
                .isInstanceOfSatisfying(CdsEvidence.Verdict.Wanted.class, w -> assertThat(w.ds()).isEmpty());
    }

    @Test
    void aServerThatFailedStopsEverything() throws Exception {
        RRset dnskey = signed(keys(key), key);
        assertThat(CdsEvidence.evaluate(CHILD, List.of(answer("a", dnskey, cdsOf(key), key), CdsEvidence.ServerAnswer.failed("b", "did not answer")),
                List.of(), 2, NOW)).isInstanceOfSatisfying(CdsEvidence.Verdict.Refused.class, r -> assertThat(r.reason()).contains("b: did not answer"));
    }

    // --- records ---

    private static RRset keys(DnssecKey... keys) {
        RRset set = new RRset();
        for (DnssecKey k : keys) {
            set.addRR(k.dnskey(CHILD, 300));
        }
        return set;
    }

    private static RRset cdsOf(DnssecKey k) {
        DSRecord ds = k.ds(CHILD, 300);
        return new RRset(new CDSRecord(CHILD, DClass.IN, 300, ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(), ds.getDigest()));
    }

    private static RRset signed(RRset set, DnssecKey... signers) throws DNSSEC.DNSSECException {
        RRset copy = new RRset();
        set.rrs().forEach(copy::addRR);
        for (DnssecKey signer : signers) {
            DNSKEYRecord dnskey = signer.dnskey(CHILD, 300);
            copy.addRR(DNSSEC.sign(copy, dnskey, signer.pair().getPrivate(), NOW.minus(1, ChronoUnit.HOURS), NOW.plus(7, ChronoUnit.DAYS)));
        }
        return copy;
    }

    private static CdsEvidence.ServerAnswer answer(String server, RRset dnskey, RRset cds, DnssecKey signer) throws DNSSEC.DNSSECException {
        return new CdsEvidence.ServerAnswer(server, null, dnskey, cds == null ? new RRset() : signed(cds, signer), new RRset());
    }
}
