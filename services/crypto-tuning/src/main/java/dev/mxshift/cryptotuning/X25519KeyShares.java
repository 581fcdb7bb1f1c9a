package dev.mxshift.cryptotuning;

import org.bouncycastle.math.ec.rfc7748.X25519;

import javax.crypto.KeyAgreement;
import javax.crypto.KeyAgreementSpi;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyPairGeneratorSpi;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;

/**
 * X25519 for the TLS key shares (RFC 7748, RFC 8446 section 7.4.2) with BouncyCastle's arithmetic, which the JDK's
 * TLS (JSSE) uses through the JCA names {@code KeyPairGenerator.XDH} and {@code KeyAgreement.XDH}: every JSSE
 * handshake (an MTA-STS fetch) makes one X25519 key pair and, when the server picks X25519 (like most servers), one
 * agreement. JDK 17's own X25519 (SunEC's generic field arithmetic) was 13% of a validation profile when the STARTTLS
 * probe still ran in JSSE; BouncyCastle's uses a precomputed table for the key pair and a dedicated field for the
 * agreement.
 *
 * <p>The keys stay the JDK's own ({@code XECPrivateKey}, {@code XECPublicKey} from SunEC's key factory, which JSSE
 * casts to); only the two scalar multiplications move. X448, and any key that is not X25519, go to SunEC as before.
 */
final class X25519KeyShares {

    private static final String JDK = "SunEC";
    private static final int SIZE = X25519.POINT_SIZE;

    private X25519KeyShares() {
    }

    private static boolean isX25519(AlgorithmParameterSpec parameters) {
        return parameters instanceof NamedParameterSpec named && named.getName().equalsIgnoreCase(NamedParameterSpec.X25519.getName());
    }

    /** RFC 7748 section 5: the u-coordinate as 32 little-endian bytes (the top bit is masked by the multiplication). */
    static byte[] littleEndian(BigInteger u) {
        byte[] big = u.toByteArray();
        byte[] little = new byte[SIZE];
        for (int i = 0; i < SIZE && i < big.length; i++) {
            little[i] = big[big.length - 1 - i];
        }
        return little;
    }

    static BigInteger fromLittleEndian(byte[] little) {
        byte[] big = new byte[little.length];
        for (int i = 0; i < little.length; i++) {
            big[i] = little[little.length - 1 - i];
        }
        return new BigInteger(1, big);
    }

    /** {@code KeyPairGenerator.XDH}: X25519 pairs by BouncyCastle, as the JDK's key objects; X448 by SunEC. */
    static final class KeyPairs extends KeyPairGeneratorSpi {
        private SecureRandom random;
        private KeyPairGenerator other;

        @Override
        public void initialize(int keySize, SecureRandom random) {
            if (keySize == 255) {
                this.random = random;
                this.other = null;
                return;
            }
            other = jdkGenerator();
            other.initialize(keySize, random);
        }

        @Override
        public void initialize(AlgorithmParameterSpec parameters, SecureRandom random) throws InvalidAlgorithmParameterException {
            if (isX25519(parameters)) {
                this.random = random;
                this.other = null;
                return;
            }
            other = jdkGenerator();
            other.initialize(parameters, random);
        }

        @Override
        public KeyPair generateKeyPair() {
            if (other != null) {
                return other.generateKeyPair();
            }
            byte[] scalar = new byte[X25519.SCALAR_SIZE];
            byte[] u = new byte[SIZE];
            X25519.generatePrivateKey(random != null ? random : new SecureRandom(), scalar);
            X25519.generatePublicKey(scalar, 0, u, 0);
            try {
                KeyFactory keys = KeyFactory.getInstance("XDH", JDK);
                return new KeyPair(keys.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, fromLittleEndian(u))),
                        keys.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK's XDH key factory refused an X25519 key: " + e.getMessage(), e);
            } finally {
                Arrays.fill(scalar, (byte) 0);
            }
        }

        private static KeyPairGenerator jdkGenerator() {
            try {
                return KeyPairGenerator.getInstance("XDH", JDK);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no XDH key pair generator: " + e.getMessage(), e);
            }
        }
    }

    /**
     * {@code KeyAgreement.XDH}: X25519 by BouncyCastle, refusing an all-zero shared secret as the JDK's does (RFC 7748
     * section 6.1, which TLS 1.3 requires); any other key by SunEC.
     */
    static final class Agreement extends KeyAgreementSpi {
        private byte[] scalar;
        private byte[] secret;
        private KeyAgreement other;

        @Override
        protected void engineInit(Key key, SecureRandom random) throws InvalidKeyException {
            secret = null;
            if (key instanceof XECPrivateKey own && isX25519(own.getParams()) && own.getScalar().isPresent()) {
                scalar = own.getScalar().get();
                other = null;
                return;
            }
            other = jdkAgreement();
            other.init(key, random);
        }

        @Override
        protected void engineInit(Key key, AlgorithmParameterSpec parameters, SecureRandom random)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            if (parameters == null || isX25519(parameters)) {
                engineInit(key, random);
                return;
            }
            other = jdkAgreement();
            other.init(key, parameters, random);
        }

        @Override
        protected Key engineDoPhase(Key key, boolean lastPhase) throws InvalidKeyException {
            if (other != null) {
                return other.doPhase(key, lastPhase);
            }
            if (scalar == null) {
                throw new IllegalStateException("X25519 agreement not initialised");
            }
            if (!lastPhase) {
                throw new IllegalStateException("X25519 has one phase only");
            }
            if (!(key instanceof XECPublicKey peer) || !isX25519(peer.getParams())) {
                throw new InvalidKeyException("not an X25519 public key: " + (key == null ? "null" : key.getAlgorithm()));
            }
            byte[] shared = new byte[SIZE];
            if (!X25519.calculateAgreement(scalar, 0, littleEndian(peer.getU()), 0, shared, 0)) {
                throw new InvalidKeyException("X25519: the shared secret is all zero (RFC 7748 section 6.1)");
            }
            secret = shared;
            return null;
        }

        @Override
        protected byte[] engineGenerateSecret() {
            if (other != null) {
                return other.generateSecret();
            }
            if (secret == null) {
                throw new IllegalStateException("X25519: no phase done");
            }
            byte[] out = secret;
            secret = null;
            return out;
        }

        @Override
        protected int engineGenerateSecret(byte[] sharedSecret, int offset) throws ShortBufferException {
            if (other != null) {
                return other.generateSecret(sharedSecret, offset);
            }
            if (secret != null && sharedSecret.length - offset < secret.length) {
                throw new ShortBufferException("X25519: " + SIZE + " bytes needed");
            }
            byte[] out = engineGenerateSecret();
            System.arraycopy(out, 0, sharedSecret, offset, out.length);
            return out.length;
        }

        /** As the JDK's: for TLS's "TlsPremasterSecret" only. */
        @Override
        protected SecretKey engineGenerateSecret(String algorithm) throws NoSuchAlgorithmException {
            if (other != null) {
                try {
                    return other.generateSecret(algorithm);
                } catch (InvalidKeyException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (!"TlsPremasterSecret".equalsIgnoreCase(algorithm)) {
                throw new NoSuchAlgorithmException("X25519 gives a TlsPremasterSecret only, not " + algorithm);
            }
            return new SecretKeySpec(engineGenerateSecret(), "TlsPremasterSecret");
        }

        private static KeyAgreement jdkAgreement() {
            try {
                return KeyAgreement.getInstance("XDH", JDK);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no XDH key agreement: " + e.getMessage(), e);
            }
        }
    }
}
