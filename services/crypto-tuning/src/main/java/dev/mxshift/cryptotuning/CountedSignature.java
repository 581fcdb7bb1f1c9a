package dev.mxshift.cryptotuning;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;

/**
 * One signature object of {@link BouncyCastleSignatures}: delegates to BouncyCastle's implementation with the key in
 * BouncyCastle's form ({@link BouncyCastleKeyCache}), answers a verification computed before from
 * {@link VerificationOutcomeCache}, and counts the ones it computes ({@link SignatureVerifications}).
 */
final class CountedSignature extends SignatureSpi {
    private final Signature delegate;
    /** The algorithm and the key's encoding (each after its length), which every outcome key starts with. */
    private byte[] verifier;
    /** The SHA-256 of the data given since initVerify or the last verify (null when signing). */
    private MessageDigest dataDigest;
    /** The key in BouncyCastle's form, to put the delegate back after an answer from memory (null when signing). */
    private PublicKey verifyKey;

    CountedSignature(Signature delegate) {
        this.delegate = delegate;
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
        verifyKey = BouncyCastleKeyCache.bouncyCastleKey(publicKey);
        delegate.initVerify(verifyKey);
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
        verifyKey = null;
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
        ByteBuffer key = VerificationOutcomeCache.key(verifier, dataDigest, sigBytes);
        Boolean known = VerificationOutcomeCache.outcome(key);
        if (known != null) {
            // verify() leaves a Signature as initVerify did (its contract), so one reused without initVerify gets only the
            // data given after this call: the delegate, which was given the data too but not asked, starts again the same way
            try {
                delegate.initVerify(verifyKey);
            } catch (InvalidKeyException e) {
                throw new SignatureException("the key verified at initVerify is refused now", e);
            }
            SignatureVerifications.rememberedOne();
            return known;
        }
        boolean outcome = SignatureVerifications.computeOne(() -> delegate.verify(sigBytes));
        VerificationOutcomeCache.remember(key, outcome);
        return outcome;
    }

    static MessageDigest sha256() {
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
