package dev.mxshift.cryptotuning;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.List;

/**
 * A JCA provider, first in the JVM's list, that hands the signature algorithms DNSSEC uses to BouncyCastle for every
 * caller that names no provider, as dnsjava's {@code DNSSEC.verify} does. Each verification is a
 * {@link CountedSignature}: counted ({@link SignatureVerifications}) and answered from {@link VerificationOutcomeCache}
 * when the same one was computed before. The JDK's SunEC verifies ECDSA P-256 about a tenth as fast (issue 5's
 * figures); the algorithm names are the ones dnsjava asks for. Installed through {@link CryptoTuning}.
 */
final class BouncyCastleSignatures extends Provider {

    /** The name benchmarks and {@code ./mxshift validate}'s summary show as the verifying provider. */
    static final String NAME = "MXSHIFT-BC";
    static final List<String> ALGORITHMS = List.of("SHA256withECDSA", "SHA384withECDSA", "SHA1withRSA", "SHA256withRSA",
            "SHA512withRSA", "Ed25519", "Ed448");
    static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private BouncyCastleSignatures() {
        super(NAME, "1.0", "BouncyCastle signature verification for DNSSEC, counted, outcomes remembered");
        for (String algorithm : ALGORITHMS) {
            putService(new Service(this, "Signature", algorithm, CountedSignature.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                    return new CountedSignature(Signature.getInstance(algorithm, BOUNCY_CASTLE));
                }
            });
        }
    }

    /** Installs the provider first in the JVM's list, once; later calls do nothing. */
    static synchronized void install() {
        if (!installed()) {
            Security.insertProviderAt(new BouncyCastleSignatures(), 1);
        }
    }

    static boolean installed() {
        return Security.getProvider(NAME) != null;
    }
}
