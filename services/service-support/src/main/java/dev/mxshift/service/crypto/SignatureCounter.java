package dev.mxshift.service.crypto;

import dev.mxshift.service.LeastRecentlyUsed;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Makes BouncyCastle the provider of the signature algorithms DNSSEC uses, for every caller that asks the JCA
 * without naming a provider, as dnsjava's {@code DNSSEC.verify} does (and the JDK's TLS, for the handshakes of the
 * STARTTLS probes and the MTA-STS fetches); and counts the verifications, so that a benchmark can show both that
 * BouncyCastle did them and how many. The JDK's SunEC verifies ECDSA P-256 about a tenth as fast (issue 5's
 * figures); the algorithm names are the ones dnsjava asks for. In service-support because every process that
 * validates or fetches over TLS installs it (decision 0019).
 */
public final class SignatureCounter extends Provider {

    public static final String NAME = "MXSHIFT-BC";
    static final List<String> ALGORITHMS = List.of("SHA256withECDSA", "SHA384withECDSA", "SHA1withRSA", "SHA256withRSA",
            "SHA512withRSA", "Ed25519", "Ed448");
    private static final LongAdder VERIFICATIONS = new LongAdder();
    private static final LongAdder VERIFYING_NANOS = new LongAdder();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final LongAdder REMEMBERED = new LongAdder();
    /**
     * How many verification outcomes are remembered. dnsjava's validator checks a zone's whole chain of trust from the
     * root again whenever that zone's own key is not cached yet (so for every new zone: the root's key set, the TLD's
     * DS and key set, again), where Unbound continues from the closest key it holds; the outcome of checking the same
     * signature over the same data with the same key cannot change, so it is remembered instead of computed again.
     * Dates are not part of it: dnsjava checks a signature's validity period before it asks for the verification.
     */
    static final int OUTCOMES_KEPT = 10_000;
    private static final Map<ByteBuffer, Boolean> OUTCOMES = LeastRecentlyUsed.map(OUTCOMES_KEPT);
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
    /** How many distinct public keys are kept in BouncyCastle's form; the oldest used goes first. */
    static final int KEY_CACHE_SIZE = 10_000;
    private static final Map<KeyId, PublicKey> KEYS = LeastRecentlyUsed.map(KEY_CACHE_SIZE);

    private record KeyId(String algorithm, ByteBuffer encoded) {
    }

    private SignatureCounter() {
        super(NAME, "1.0", "BouncyCastle signature verification for DNSSEC, counted");
        for (String algorithm : ALGORITHMS) {
            putService(new Service(this, "Signature", algorithm, CountingSignature.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                    return new CountingSignature(Signature.getInstance(algorithm, BOUNCY_CASTLE));
                }
            });
        }
    }

    /** Installs the provider first in the JVM's list, once; later calls do nothing. */
    public static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new SignatureCounter(), 1);
        }
    }

    /** The BouncyCastle provider this one delegates to, for callers that name their provider (certificate chains). */
    public static Provider bouncyCastle() {
        return BOUNCY_CASTLE;
    }

    /** Signature verifications done through the provider since the JVM started. */
    public static long verifications() {
        return VERIFICATIONS.sum();
    }

    /**
     * CPU time the computed verifications took since the JVM started, in nanoseconds (each verifying thread's own CPU
     * time, so a busy machine does not inflate it).
     */
    public static long verifyingCpuNanos() {
        return VERIFYING_NANOS.sum();
    }

    /** Verifications asked for again (same key, data and signature) and answered from memory since the JVM started. */
    public static long remembered() {
        return REMEMBERED.sum();
    }

    /** Which provider a caller that names none gets for ECDSA P-256 with SHA-256 (DNSSEC algorithm 13). */
    public static String providerOfAlgorithm13() throws NoSuchAlgorithmException {
        Signature signature = Signature.getInstance("SHA256withECDSA");
        return signature.getProvider().getName() + " (delegating to " + BOUNCY_CASTLE.getName() + " " + BOUNCY_CASTLE.getVersionStr() + ")";
    }

    /**
     * The same key as BouncyCastle's own object, kept: dnsjava builds a new key object for every signature it checks,
     * and BouncyCastle keeps its precomputed multiples of a key's point on that key, so without this every
     * verification would pay the precomputation again (most of its cost). The cache is bounded by count.
     */
    static PublicKey bouncyCastleKey(PublicKey key) throws InvalidKeyException {
        if (key.getClass().getName().startsWith("org.bouncycastle.") || key.getEncoded() == null) {
            return key;
        }
        KeyId id = new KeyId(key.getAlgorithm(), ByteBuffer.wrap(key.getEncoded()));
        PublicKey cached = KEYS.get(id);
        if (cached == null) {
            try {
                cached = KeyFactory.getInstance(key.getAlgorithm(), BOUNCY_CASTLE).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
            } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
                return key;
            }
            KEYS.put(id, cached);
        }
        return cached;
    }

    /** Keys held in BouncyCastle's form now (at most {@link #KEY_CACHE_SIZE}). */
    public static int cachedKeys() {
        return KEYS.size();
    }

    /**
     * Delegates to BouncyCastle's implementation and counts each verification; an outcome already known for the same
     * key, data and signature is answered from {@link #OUTCOMES}, keyed by a SHA-256 over the algorithm and key (each
     * length-prefixed), the data's SHA-256 and the signature.
     */
    static final class CountingSignature extends SignatureSpi {
        private final Signature delegate;
        /** The algorithm and the key's encoding (each after its length), which every outcome key starts with. */
        private byte[] verifier;
        /** The SHA-256 of the data given since initVerify or the last verify (null when signing). */
        private MessageDigest dataDigest;

        CountingSignature(Signature delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            delegate.initVerify(bouncyCastleKey(publicKey));
            byte[] algorithm = delegate.getAlgorithm().getBytes(StandardCharsets.US_ASCII);
            byte[] encoded = publicKey.getEncoded();
            if (encoded == null) {
                encoded = new byte[0];
            }
            verifier = ByteBuffer.allocate(8 + algorithm.length + encoded.length).putInt(algorithm.length).put(algorithm)
                    .putInt(encoded.length).put(encoded).array();
            dataDigest = sha256();
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            dataDigest = null;
            verifier = null;
            delegate.initSign(privateKey);
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            delegate.update(b);
            if (dataDigest != null) {
                dataDigest.update(b);
            }
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
            delegate.update(b, off, len);
            if (dataDigest != null) {
                dataDigest.update(b, off, len);
            }
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            return delegate.sign();
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            // Fixed-size parts before the signature, so no other (data, signature) pair can spell the same input. digest()
            // also resets the data's digest, as verify resets the signature for the next data under the same key.
            MessageDigest keyDigest = sha256();
            keyDigest.update(verifier);
            keyDigest.update(dataDigest.digest());
            ByteBuffer key = ByteBuffer.wrap(keyDigest.digest(sigBytes));
            Boolean known = OUTCOMES.get(key);
            if (known != null) {
                REMEMBERED.increment();
                return known;
            }
            VERIFICATIONS.increment();
            long cpuBefore = THREADS.getCurrentThreadCpuTime();
            boolean outcome = delegate.verify(sigBytes);
            VERIFYING_NANOS.add(THREADS.getCurrentThreadCpuTime() - cpuBefore);
            OUTCOMES.put(key, outcome);
            return outcome;
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) throws InvalidParameterException {
            throw new InvalidParameterException("no parameters");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) throws InvalidParameterException {
            throw new InvalidParameterException("no parameters");
        }
    }
}
