package dev.mxshift.cryptotuning;

import java.security.Provider;

/**
 * The one way a program puts BouncyCastle's arithmetic in place of the JDK's SunEC for callers that ask the JCA
 * without naming a provider (decisions 0019 and 0037). Both installs are JVM-wide, put a provider first in the JVM's
 * list and so also serve any other caller in the process that names none, the Kafka client's TLS included when it is
 * configured; that is why only the programs that need them install them, first thing in their {@code main}, and no
 * class installs them as a side effect of being loaded or built.
 */
public final class CryptoTuning {

    private CryptoTuning() {
    }

    /**
     * For a program that validates DNSSEC with dnsjava, whose {@code DNSSEC.verify} names no provider: the signature
     * algorithms DNSSEC uses go to BouncyCastle, each verification is counted ({@link SignatureVerifications}) and the
     * last 10,000 distinct outcomes are remembered (a cache, JVM-wide). Installed by the validation service, {@code
     * ./mxshift validate} and the composed dry run; later calls do nothing.
     */
    public static void installDnssecSignatureVerification() {
        BouncyCastleSignatures.install();
    }

    /**
     * For a program whose TLS handshakes run in the JDK's JSSE and check a certificate chain by PKIX: discovery's
     * MTA-STS policy fetches. Their chain's signatures go to BouncyCastle (as in
     * {@link #installDnssecSignatureVerification()}) and their key shares to BouncyCastle's arithmetic
     * ({@link TlsKeyShares}). Installed by the discovery service, {@code ./mxshift discover} and the composed dry run;
     * later calls do nothing.
     */
    public static void installJsseHandshakeArithmetic() {
        BouncyCastleSignatures.install();
        TlsKeyShares.install();
    }

    /** Whether {@link #installDnssecSignatureVerification()} ran in this JVM, for a warning where it matters. */
    public static boolean dnssecSignatureVerificationInstalled() {
        return BouncyCastleSignatures.installed();
    }

    /**
     * BouncyCastle's provider, for callers that name their provider (the DANE-TA certificate chain links); using it
     * changes nothing in the JVM's provider list.
     */
    public static Provider bouncyCastle() {
        return BouncyCastleSignatures.BOUNCY_CASTLE;
    }
}
