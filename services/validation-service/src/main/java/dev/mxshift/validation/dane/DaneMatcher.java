package dev.mxshift.validation.dane;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TlsaRecord;
import dev.mxshift.cryptotuning.CryptoTuning;
import dev.mxshift.cryptotuning.LeastRecentlyUsed;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a presented certificate chain satisfies a host's TLSA records, as an SMTP client does under
 * RFC 7672. Pure: the chain, the records, the names and the time are given.
 * <ul>
 *   <li>DANE-EE(3): the server certificate (or its public key) matches; no name check, no expiry check
 *       (section 3.1.1).</li>
 *   <li>DANE-TA(2): a certificate of the chain (or its public key) matches; the chain from the server certificate up
 *       to it must be signed link by link and be within its validity dates, and the server certificate must name
 *       the MX host or the next-hop domain (section 3.1.2, with RFC 6125 wildcard rules).</li>
 *   <li>PKIX-TA(0), PKIX-EE(1), unknown selectors and matching types (such as 255) are unusable (section 3.1.3).</li>
 * </ul>
 */
public final class DaneMatcher {

    /** How many (certificate, issuer) pairs {@link #signedBy} remembers; the least recently used goes first. */
    static final int LINKS_KEPT = 1_024;
    private static final Map<ChainLink, Boolean> LINKS = LeastRecentlyUsed.map(LINKS_KEPT);

    private record ChainLink(ByteBuffer certificate, ByteBuffer issuer) {
    }

    private DaneMatcher() {
    }

    /**
     * @param chain      as the server presented it, server certificate first
     * @param names      the names the server certificate may carry: the MX host, then the next-hop domain
     */
    public static DaneVerdict match(List<TlsaRecord> records, List<X509Certificate> chain, List<DomainName> names, Instant now) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a TLS server always presents a certificate");
        }
        List<TlsaRecord> unusable = new ArrayList<>();
        List<DaneVerdict.Attempt> attempts = new ArrayList<>();
        for (TlsaRecord record : records) {
            if (!record.isUsableForSmtp()) {
                unusable.add(record);
                continue;
            }
            if (record.usage() == TlsaRecord.DANE_EE) {
                if (matches(record, chain.get(0))) {
                    return new DaneVerdict.Validated(record, "DANE-EE: the server certificate's "
                            + (record.selector() == 1 ? "public key" : "certificate") + " matches");
                }
                attempts.add(new DaneVerdict.Attempt(record, "DANE-EE: the server certificate does not match"));
            } else {
                String reason = trustAnchor(record, chain, names, now);
                if (reason == null) {
                    return new DaneVerdict.Validated(record, "DANE-TA: the chain leads to the matched trust anchor and names "
                            + names.get(0));
                }
                attempts.add(new DaneVerdict.Attempt(record, reason));
            }
        }
        if (attempts.isEmpty()) {
            return new DaneVerdict.NoUsableTlsa(unusable);
        }
        return new DaneVerdict.Failed(attempts);
    }

    /** Null when the DANE-TA record authenticates the chain, else why not. */
    private static String trustAnchor(TlsaRecord record, List<X509Certificate> chain, List<DomainName> names, Instant now) {
        int anchor = -1;
        for (int i = 0; i < chain.size() && anchor < 0; i++) {
            if (matches(record, chain.get(i))) {
                anchor = i;
            }
        }
        if (anchor < 0) {
            return "DANE-TA: no certificate of the presented chain matches";
        }
        try {
            for (int i = 0; i < anchor; i++) {
                if (!signedBy(chain.get(i), chain.get(i + 1))) {
                    return "DANE-TA: certificate " + i + " of the chain is not signed by certificate " + (i + 1);
                }
            }
            for (int i = 0; i <= anchor; i++) {
                if (!new JcaX509CertificateHolder(chain.get(i)).isValidOn(Date.from(now))) {
                    return "DANE-TA: certificate " + i + " of the chain is outside its validity dates";
                }
            }
        } catch (Exception e) {
            return "DANE-TA: the chain cannot be checked: " + e.getMessage();
        }
        List<String> dnsNames = dnsNames(chain.get(0));
        for (DomainName name : names) {
            for (String pattern : dnsNames) {
                if (name.matchesPattern(pattern)) {
                    return null;
                }
            }
        }
        return "DANE-TA: the server certificate names " + dnsNames + ", not " + names;
    }

    /**
     * Whether {@code child} names {@code issuer} as its issuer and carries a valid signature by its key. That is a
     * fixed fact of the two certificates, so it is remembered for the last {@link #LINKS_KEPT} pairs seen: servers
     * present the same chain to every probe (every Exchange Online host presents Microsoft's), and without this each
     * probe paid a signature verification per link. BouncyCastle verifies, as it does DNSSEC's signatures.
     */
    static boolean signedBy(X509Certificate child, X509Certificate issuer) throws Exception {
        ChainLink link = new ChainLink(ByteBuffer.wrap(child.getEncoded()), ByteBuffer.wrap(issuer.getEncoded()));
        Boolean known = LINKS.get(link);
        if (known == null) {
            X509CertificateHolder holder = new JcaX509CertificateHolder(child);
            ContentVerifierProvider key = new JcaContentVerifierProviderBuilder().setProvider(CryptoTuning.bouncyCastle())
                    .build(issuer.getPublicKey());
            known = holder.getIssuer().equals(new JcaX509CertificateHolder(issuer).getSubject()) && holder.isSignatureValid(key);
            LINKS.put(link, known);
        }
        return known;
    }

    static boolean matches(TlsaRecord record, X509Certificate certificate) {
        try {
            byte[] selected = record.selector() == 0 ? certificate.getEncoded() : certificate.getPublicKey().getEncoded();
            byte[] digest = switch (record.matchingType()) {
                case 0 -> selected;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> null;
            };
            return digest != null && MessageDigest.isEqual(digest, record.dataBytes());
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            return false;
        }
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            var alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (((Integer) entry.get(0)) == GeneralName.dNSName) {
                        names.add(((String) entry.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return List.of();
        }
        return names;
    }
}
