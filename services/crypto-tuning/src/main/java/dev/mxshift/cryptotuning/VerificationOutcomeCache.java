package dev.mxshift.cryptotuning;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The outcomes of the last {@value #OUTCOMES_KEPT} distinct signature verifications, JVM-wide. dnsjava's validator
 * checks a zone's whole chain of trust from the root again whenever that zone's own key is not cached yet (so for
 * every new zone: the root's key set, the TLD's DS and key set, again), where Unbound continues from the closest key
 * it holds; the outcome of checking the same signature over the same data with the same key cannot change, so it is
 * remembered instead of computed again (decision 0019). Dates are not part of it: dnsjava checks a signature's
 * validity period before it asks for the verification.
 *
 * <p>An outcome's key is a SHA-256 over the algorithm and the key's encoding (each length-prefixed), the data's
 * SHA-256 and the signature: fixed-size or length-prefixed parts before the signature, so no other (data, signature)
 * pair can spell the same input.
 */
final class VerificationOutcomeCache {

    static final int OUTCOMES_KEPT = 10_000;
    private static final Map<ByteBuffer, Boolean> OUTCOMES = LeastRecentlyUsed.map(OUTCOMES_KEPT);

    private VerificationOutcomeCache() {
    }

    /**
     * The key of one verification: {@code verifier} is the length-prefixed algorithm and key encoding, {@code data}
     * the digest of the data (reset by this call, as a verification resets the signature for the next data).
     */
    static ByteBuffer key(byte[] verifier, MessageDigest data, byte[] signature) {
        MessageDigest key = CountedSignature.sha256();
        key.update(verifier);
        key.update(data.digest());
        return ByteBuffer.wrap(key.digest(signature));
    }

    /** The remembered outcome, or null when this verification was not computed (or was forgotten). */
    static Boolean outcome(ByteBuffer key) {
        return OUTCOMES.get(key);
    }

    static void remember(ByteBuffer key, boolean outcome) {
        OUTCOMES.put(key, outcome);
    }
}
