package dev.mxshift.cryptotuning;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyPairGeneratorSpi;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * A JCA provider, first in the JVM's list, that gives the key shares of the JDK's own TLS (JSSE) to BouncyCastle's
 * arithmetic: {@code KeyPairGenerator.EC}, and {@code KeyPairGenerator.XDH} with {@code KeyAgreement.XDH}
 * ({@link X25519KeyShares}). It serves only handshakes that run in JSSE, which today are discovery's MTA-STS policy
 * fetches (the STARTTLS probe's handshake runs in BoringSSL through Conscrypt, which asks the JCA for none of this).
 *
 * <p>JDK 17's TLS 1.3 ClientHello carries two key shares, one X25519 and one P-256 (it sends the most preferred group
 * of each kind and offers no setting for one share per connection), so every handshake generates a P-256 key pair,
 * which is thrown away whenever the server picks X25519. SunEC generates it slowly (16% of a validation profile when
 * the probe ran in JSSE, decision 0019); BouncyCastle's precomputed multiples of the curve's generator make it several
 * times faster. When a server picks P-256, the key agreement is still the JDK's, which takes BouncyCastle's key like
 * any EC private key. Installed through {@link CryptoTuning}.
 */
final class TlsKeyShares extends Provider {

    static final String NAME = "MXSHIFT-BC-KEY-SHARES";

    private TlsKeyShares() {
        super(NAME, "1.0", "BouncyCastle arithmetic for TLS key shares: EC key pairs, X25519 key pairs and agreement");
        putService(new Service(this, "KeyPairGenerator", "EC", NamedCurveKeyPairs.class.getName(), null, null) {
            @Override
            public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                return new NamedCurveKeyPairs(KeyPairGenerator.getInstance("EC", BouncyCastleSignatures.BOUNCY_CASTLE));
            }
        });
        // The X25519 share, and its agreement when the server picks X25519 (X25519KeyShares).
        putService(new Service(this, "KeyPairGenerator", "XDH", X25519KeyShares.KeyPairs.class.getName(), null, null) {
            @Override
            public Object newInstance(Object parameter) {
                return new X25519KeyShares.KeyPairs();
            }
        });
        putService(new Service(this, "KeyAgreement", "XDH", X25519KeyShares.Agreement.class.getName(), null, null) {
            @Override
            public Object newInstance(Object parameter) {
                return new X25519KeyShares.Agreement();
            }
        });
    }

    /**
     * BouncyCastle's generator, told the curve by name: JSSE passes the curve as bare parameters, for which
     * BouncyCastle builds a new generator point each time and so precomputes its multiples again for every key
     * (measured: most of the gain lost); by name it takes the curve's one shared point, whose multiples are kept.
     */
    static final class NamedCurveKeyPairs extends KeyPairGeneratorSpi {
        private static final Map<String, ECParameterSpec> CURVES = curves("secp256r1", "secp384r1", "secp521r1");
        private final KeyPairGenerator delegate;

        NamedCurveKeyPairs(KeyPairGenerator delegate) {
            this.delegate = delegate;
        }

        @Override
        public void initialize(int keySize, SecureRandom random) {
            delegate.initialize(keySize, random);
        }

        @Override
        public void initialize(AlgorithmParameterSpec parameters, SecureRandom random) throws InvalidAlgorithmParameterException {
            delegate.initialize(byName(parameters), random);
        }

        @Override
        public KeyPair generateKeyPair() {
            return delegate.generateKeyPair();
        }

        /** The standard curve's name for parameters that describe it exactly, else the parameters as they are. */
        static AlgorithmParameterSpec byName(AlgorithmParameterSpec parameters) {
            if (parameters instanceof ECParameterSpec given) {
                for (Map.Entry<String, ECParameterSpec> curve : CURVES.entrySet()) {
                    ECParameterSpec known = curve.getValue();
                    if (known.getCurve().equals(given.getCurve()) && known.getGenerator().equals(given.getGenerator())
                            && known.getOrder().equals(given.getOrder()) && known.getCofactor() == given.getCofactor()) {
                        return new ECGenParameterSpec(curve.getKey());
                    }
                }
            }
            return parameters;
        }

        private static Map<String, ECParameterSpec> curves(String... names) {
            Map<String, ECParameterSpec> curves = new HashMap<>();
            for (String name : names) {
                try {
                    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                    parameters.init(new ECGenParameterSpec(name));
                    curves.put(name, parameters.getParameterSpec(ECParameterSpec.class));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("the JDK does not know the standard curve " + name, e);
                }
            }
            return Map.copyOf(curves);
        }
    }

    /** Installs the provider first in the JVM's list, once; later calls do nothing. */
    static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new TlsKeyShares(), 1);
        }
    }
}
