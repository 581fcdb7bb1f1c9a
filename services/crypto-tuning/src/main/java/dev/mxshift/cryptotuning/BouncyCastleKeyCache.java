package dev.mxshift.cryptotuning;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;

/**
 * Public keys kept in BouncyCastle's form, the last {@value #KEY_CACHE_SIZE} distinct ones. dnsjava builds a new key
 * object for every signature it checks, and BouncyCastle keeps its precomputed multiples of a key's point on that key,
 * so without this every verification would pay the precomputation again (most of its cost).
 */
final class BouncyCastleKeyCache {

    static final int KEY_CACHE_SIZE = 10_000;
    private static final Map<KeyId, PublicKey> KEYS = LeastRecentlyUsed.map(KEY_CACHE_SIZE);

    private record KeyId(String algorithm, ByteBuffer encoded) {
    }

    private BouncyCastleKeyCache() {
    }

    /** The same key as BouncyCastle's own object, the one kept if there is one; a key BouncyCastle cannot read as given. */
    static PublicKey bouncyCastleKey(PublicKey key) throws InvalidKeyException {
        if (key.getClass().getName().startsWith("org.bouncycastle.") || key.getEncoded() == null) {
            return key;
        }
        KeyId id = new KeyId(key.getAlgorithm(), ByteBuffer.wrap(key.getEncoded()));
        PublicKey cached = KEYS.get(id);
        if (cached == null) {
            try {
                cached = KeyFactory.getInstance(key.getAlgorithm(), BouncyCastleSignatures.BOUNCY_CASTLE)
                        .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
            } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
                return key;
            }
            KEYS.put(id, cached);
        }
        return cached;
    }

    /** Keys held in BouncyCastle's form now (at most {@link #KEY_CACHE_SIZE}). */
    static int size() {
        return KEYS.size();
    }
}
