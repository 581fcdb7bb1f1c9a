package dev.mxshift.cryptotuning;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many signatures {@link BouncyCastleSignatures} verified since the JVM started, how many it answered from
 * {@link VerificationOutcomeCache} instead, and the CPU the computed ones took: what {@code ./mxshift validate}'s
 * summary and {@code bench/validation} report.
 */
public final class SignatureVerifications {

    private static final LongAdder COMPUTED = new LongAdder();
    private static final LongAdder REMEMBERED = new LongAdder();
    private static final LongAdder VERIFYING_NANOS = new LongAdder();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SignatureVerifications() {
    }

    /** Signature verifications computed through the provider since the JVM started. */
    public static long computed() {
        return COMPUTED.sum();
    }

    /** Verifications asked for again (same key, data and signature) and answered from memory since the JVM started. */
    public static long remembered() {
        return REMEMBERED.sum();
    }

    /**
     * CPU time the computed verifications took since the JVM started, in nanoseconds (each verifying thread's own CPU
     * time, so a busy machine does not inflate it).
     */
    public static long verifyingCpuNanos() {
        return VERIFYING_NANOS.sum();
    }

    /** Which provider a caller that names none gets for ECDSA P-256 with SHA-256 (DNSSEC algorithm 13). */
    public static String providerOfAlgorithm13() throws NoSuchAlgorithmException {
        Signature signature = Signature.getInstance("SHA256withECDSA");
        String name = signature.getProvider().getName();
        return BouncyCastleSignatures.NAME.equals(name)
                ? name + " (delegating to " + BouncyCastleSignatures.BOUNCY_CASTLE.getName() + " " + BouncyCastleSignatures.BOUNCY_CASTLE.getVersionStr() + ")"
                : name;
    }

    static void rememberedOne() {
        REMEMBERED.increment();
    }

    /** Computes one verification on the calling thread, counting it and its CPU time. */
    static boolean computeOne(Verification verification) throws java.security.SignatureException {
        COMPUTED.increment();
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        try {
            return verification.verify();
        } finally {
            VERIFYING_NANOS.add(THREADS.getCurrentThreadCpuTime() - cpuBefore);
        }
    }

    @FunctionalInterface
    interface Verification {
        boolean verify() throws java.security.SignatureException;
    }
}
