package dev.mxshift.validation.dnssec;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The two links of a DNSSEC chain that mxshift checks itself, with dnsjava's {@link DNSSEC#verify}: a DS against
 * the keys it may name (RFC 4035 section 5.2), and an RRset's signatures against the zone's keys (section 5.3). Used
 * by the bogus diagnosis and by the signing stage's checks, so that both judge a signature the same way.
 */
public final class SignatureCheck {

    /** Why no signature over a set verifies, as a code and a sentence that says what to do. */
    public record Failure(DnssecReason reason, String detail) {
    }

    private SignatureCheck() {
    }

    /** Whether {@code ds} is the digest of {@code key} (same tag, algorithm and digest, RFC 4034 section 5.1.4). */
    public static boolean matches(DSRecord ds, DNSKEYRecord key) {
        if (key.getFootprint() != ds.getFootprint() || key.getAlgorithm() != ds.getAlgorithm()) {
            return false;
        }
        DSRecord computed = new DSRecord(key.getName(), DClass.IN, ds.getTTL(), ds.getDigestID(), key);
        return Arrays.equals(computed.getDigest(), ds.getDigest());
    }

    public static boolean matchesAKey(DSRecord ds, List<DNSKEYRecord> keys) {
        return keys.stream().anyMatch(k -> matches(ds, k));
    }

    /** The tags of the keys whose signature over {@code set} verifies at {@code now}. */
    public static Set<Integer> signedBy(RRset set, List<DNSKEYRecord> keys, Instant now) {
        Set<Integer> tags = new LinkedHashSet<>();
        for (RRSIGRecord sig : sigs(set)) {
            for (DNSKEYRecord key : keys) {
                if (key.getFootprint() != sig.getFootprint() || key.getAlgorithm() != sig.getAlgorithm()) {
                    continue;
                }
                try {
                    DNSSEC.verify(set, sig, key, now);
                    tags.add(key.getFootprint());
                } catch (DNSSEC.DNSSECException e) {
                    // not a signing key of this set at this time; failure() says why
                }
            }
        }
        return tags;
    }

    /** Null when some signature over {@code set} verifies with one of {@code keys} at {@code now}; otherwise the most telling failure. */
    public static Failure failure(RRset set, List<DNSKEYRecord> keys, Instant now, String what) {
        List<RRSIGRecord> sigs = sigs(set);
        if (sigs.isEmpty()) {
            return new Failure(DnssecReason.MISSING_SIGNATURE, what + " has no RRSIG; re-sign the zone");
        }
        Failure worst = null;
        for (RRSIGRecord sig : sigs) {
            for (DNSKEYRecord key : keys) {
                if (key.getFootprint() != sig.getFootprint() || key.getAlgorithm() != sig.getAlgorithm()) {
                    continue;
                }
                try {
                    DNSSEC.verify(set, sig, key, now);
                    return null;
                } catch (DNSSEC.SignatureExpiredException e) {
                    worst = new Failure(DnssecReason.SIGNATURE_EXPIRED, what + ": the signature by key " + key.getFootprint()
                            + " expired at " + e.getExpiration() + "; re-sign the zone");
                } catch (DNSSEC.SignatureNotYetValidException e) {
                    worst = new Failure(DnssecReason.SIGNATURE_NOT_YET_VALID, what + ": the signature by key " + key.getFootprint()
                            + " is valid only from " + sig.getTimeSigned() + " (check the signer's clock)");
                } catch (DNSSEC.UnsupportedAlgorithmException e) {
                    worst = new Failure(DnssecReason.UNSUPPORTED_ALGORITHM, what + ": algorithm " + key.getAlgorithm() + " is not supported");
                } catch (DNSSEC.DNSSECException e) {
                    worst = new Failure(DnssecReason.SIGNATURE_INVALID, what + ": the signature by key " + key.getFootprint()
                            + " does not verify (" + e.getMessage() + ")");
                }
            }
        }
        return worst != null ? worst : new Failure(DnssecReason.SIGNATURE_INVALID, what + " is signed only by keys not in the DNSKEY set (key tags "
                + sigs.stream().map(s -> String.valueOf(s.getFootprint())).toList() + ")");
    }

    private static List<RRSIGRecord> sigs(RRset set) {
        List<RRSIGRecord> sigs = new ArrayList<>();
        set.sigs().forEach(s -> sigs.add((RRSIGRecord) s));
        return sigs;
    }
}
