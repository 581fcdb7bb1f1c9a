package dev.mxshift.validation.dane;

import dev.mxshift.lab.LabPki;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TlsaRecord;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7672 matching against the lab's real certificates: the CA, the target's chain, and a stranger's. */
class DaneMatcherTest {

    private static final LabPki PKI = LabPki.create();
    private static final DomainName HOST = DomainName.of("contoso-com.o-v1.mx.microsoft");
    private static final Instant NOW = Instant.now();
    private static final List<X509Certificate> CHAIN = PKI.target().chain();
    private static final X509Certificate LEAF = CHAIN.get(0);
    private static final X509Certificate CA = PKI.ca().certificate();

    private static String digest(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    private static DaneVerdict match(List<TlsaRecord> records, List<X509Certificate> chain, Instant at) {
        return DaneMatcher.match(records, chain, List.of(HOST, DomainName.of("contoso.com")), at);
    }

    @Test
    void daneEeMatchesTheServerCertificateInEveryUsableForm() throws Exception {
        List<TlsaRecord> forms = List.of(
                new TlsaRecord(3, 1, 1, digest("SHA-256", LEAF.getPublicKey().getEncoded())),
                new TlsaRecord(3, 0, 1, digest("SHA-256", LEAF.getEncoded())),
                new TlsaRecord(3, 1, 2, digest("SHA-512", LEAF.getPublicKey().getEncoded())),
                TlsaRecord.of(3, 1, 0, LEAF.getPublicKey().getEncoded()));
        for (TlsaRecord record : forms) {
            assertThat(match(List.of(record), CHAIN, NOW)).as(record.rdata()).isInstanceOf(DaneVerdict.Validated.class);
        }
    }

    @Test
    void daneEeChecksNeitherNameNorDates() throws Exception {
        TlsaRecord ee = new TlsaRecord(3, 1, 1, digest("SHA-256", LEAF.getPublicKey().getEncoded()));
        assertThat(DaneMatcher.match(List.of(ee), CHAIN, List.of(DomainName.of("elsewhere.example")), Instant.parse("2045-01-01T00:00:00Z")))
                .isInstanceOf(DaneVerdict.Validated.class);
    }

    @Test
    void daneTaNeedsTheChainTheNameAndTheDates() throws Exception {
        TlsaRecord ta = new TlsaRecord(2, 1, 1, digest("SHA-256", CA.getPublicKey().getEncoded()));
        assertThat(match(List.of(ta), CHAIN, NOW)).isInstanceOfSatisfying(DaneVerdict.Validated.class,
                v -> assertThat(v.how()).contains("DANE-TA"));
        assertThat(DaneMatcher.match(List.of(ta), CHAIN, List.of(DomainName.of("contoso-com.mail.protection.outlook.com")), NOW))
                .isInstanceOfSatisfying(DaneVerdict.Failed.class, f -> assertThat(f.attempts().get(0).reason()).contains("names [*.e-v1.mx.microsoft"));
        assertThat(DaneMatcher.match(List.of(ta), CHAIN, List.of(DomainName.of("a.contoso-com.o-v1.mx.microsoft")), NOW))
                .as("a wildcard covers one label").isInstanceOf(DaneVerdict.Failed.class);
        assertThat(match(List.of(ta), List.of(LEAF), NOW))
                .isInstanceOfSatisfying(DaneVerdict.Failed.class, f -> assertThat(f.attempts().get(0).reason()).contains("no certificate"));
        assertThat(match(List.of(ta), CHAIN, Instant.parse("2045-01-01T00:00:00Z")))
                .isInstanceOfSatisfying(DaneVerdict.Failed.class, f -> assertThat(f.attempts().get(0).reason()).contains("validity dates"));
    }

    @Test
    void aChainLinkWhoseSignatureIsForgedFailsEveryTimeItIsPresented() throws Exception {
        // Another PKI with the same names: its server certificate names the lab CA as issuer but is signed by another key.
        X509Certificate impostor = LabPki.create().target().chain().get(0);
        assertThat(impostor.getIssuerX500Principal()).isEqualTo(CA.getSubjectX500Principal());
        TlsaRecord ta = new TlsaRecord(2, 1, 1, LabPki.spkiSha256(CA));
        List<X509Certificate> forged = List.of(impostor, CA);
        for (int presented = 1; presented <= 3; presented++) {
            assertThat(match(List.of(ta), CHAIN, NOW)).as("the genuine chain, time %d", presented).isInstanceOf(DaneVerdict.Validated.class);
            assertThat(match(List.of(ta), forged, NOW)).as("the forged chain, time %d", presented)
                    .isInstanceOfSatisfying(DaneVerdict.Failed.class, f -> assertThat(f.attempts().get(0).reason())
                            .isEqualTo("DANE-TA: certificate 0 of the chain is not signed by certificate 1"));
        }
    }

    @Test
    void aCertificateTheRecordsDoNotDescribeFailsWithEveryAttemptListed() throws Exception {
        List<TlsaRecord> published = List.of(
                new TlsaRecord(3, 1, 1, PKI.target().spkiSha256()),
                new TlsaRecord(2, 1, 1, LabPki.spkiSha256(CA)));
        assertThat(match(published, PKI.mismatch().chain(), NOW)).isInstanceOfSatisfying(DaneVerdict.Failed.class,
                f -> assertThat(f.attempts()).extracting(DaneVerdict.Attempt::reason).containsExactly(
                        "DANE-EE: the server certificate does not match", "DANE-TA: no certificate of the presented chain matches"));
    }

    @Test
    void pkixUsagesAndPrivateMatchingTypesAreUnusableForSmtp() throws Exception {
        List<TlsaRecord> pkix = List.of(
                new TlsaRecord(1, 1, 1, PKI.target().spkiSha256()),
                new TlsaRecord(0, 1, 1, LabPki.spkiSha256(CA)),
                new TlsaRecord(3, 1, 255, "00ff"));
        assertThat(match(pkix, CHAIN, NOW)).isInstanceOfSatisfying(DaneVerdict.NoUsableTlsa.class,
                n -> assertThat(n.unusable()).hasSize(3));
        List<TlsaRecord> mixed = List.of(pkix.get(0), new TlsaRecord(3, 1, 1, "ab".repeat(32)));
        assertThat(match(mixed, CHAIN, NOW)).as("one usable record that fails is a failure, not 'no usable TLSA'")
                .isInstanceOf(DaneVerdict.Failed.class);
    }
}
