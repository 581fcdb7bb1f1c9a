package dev.mxshift.cryptotuning;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.KeyAgreement;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * X25519 key shares by BouncyCastle's arithmetic on the JDK's key objects, under the names JSSE asks for: they agree
 * with RFC 7748's test vector and with SunEC's X25519 both ways, leading zero bytes of the secret included.
 */
class X25519KeySharesTest {

    private static final HexFormat HEX = HexFormat.of();

    @BeforeAll
    static void install() {
        CryptoTuning.installJsseHandshakeArithmetic();
    }

    @Test
    void rfc7748TestVector() throws Exception {
        // RFC 7748 section 6.1
        PrivateKey alice = privateKey("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        PublicKey bob = publicKey("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        KeyAgreement agreement = KeyAgreement.getInstance("XDH");
        agreement.init(alice);
        agreement.doPhase(bob, true);
        assertThat(agreement.getProvider().getName()).as("the name JSSE asks for is ours").isEqualTo(TlsKeyShares.NAME);
        assertThat(HEX.formatHex(agreement.generateSecret("TlsPremasterSecret").getEncoded()))
                .isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    }

    @Test
    void ourPairsAgreeWithTheJdksBothWaysLeadingZeroBytesIncluded() throws Exception {
        KeyPairGenerator ours = KeyPairGenerator.getInstance("XDH");
        assertThat(ours.getProvider().getName()).isEqualTo(TlsKeyShares.NAME);
        ours.initialize(NamedParameterSpec.X25519);
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("XDH", "SunEC");
        jdk.initialize(NamedParameterSpec.X25519);
        int leadingZero = 0;
        for (int i = 0; i < 3000 && (i < 200 || leadingZero == 0); i++) {
            KeyPair mine = ours.generateKeyPair();
            KeyPair theirs = jdk.generateKeyPair();
            assertThat(mine.getPublic()).isInstanceOf(XECPublicKey.class);
            byte[] ourSide = agree("XDH", null, mine.getPrivate(), theirs.getPublic());
            byte[] theirSide = agree("XDH", "SunEC", theirs.getPrivate(), mine.getPublic());
            assertThat(ourSide).as("pair %s", i).hasSize(32).isEqualTo(theirSide);
            // the JDK's public key from our scalar is the one our table gave
            byte[] ourPublicByJdk = agree("XDH", "SunEC", mine.getPrivate(), publicKey(
                    "0900000000000000000000000000000000000000000000000000000000000000"));
            assertThat(X25519KeyShares.littleEndian(((XECPublicKey) mine.getPublic()).getU())).isEqualTo(ourPublicByJdk);
            if (ourSide[0] == 0) {
                leadingZero++;
            }
        }
        assertThat(leadingZero).as("a secret whose first byte is zero was kept at 32 bytes").isPositive();
    }

    @Test
    void anAllZeroSharedSecretIsRefused() throws Exception {
        KeyPairGenerator ours = KeyPairGenerator.getInstance("XDH");
        ours.initialize(NamedParameterSpec.X25519);
        KeyAgreement agreement = KeyAgreement.getInstance("XDH");
        agreement.init(ours.generateKeyPair().getPrivate());
        assertThatThrownBy(() -> agreement.doPhase(publicKey("0000000000000000000000000000000000000000000000000000000000000000"), true))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("all zero");
    }

    @Test
    void x448StaysTheJdks() throws Exception {
        KeyPairGenerator ours = KeyPairGenerator.getInstance("XDH");
        ours.initialize(NamedParameterSpec.X448);
        KeyPair a = ours.generateKeyPair();
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("XDH", "SunEC");
        jdk.initialize(NamedParameterSpec.X448);
        KeyPair b = jdk.generateKeyPair();
        assertThat(agree("XDH", null, a.getPrivate(), b.getPublic())).hasSize(56).isEqualTo(agree("XDH", "SunEC", b.getPrivate(), a.getPublic()));
    }

    private static byte[] agree(String algorithm, String provider, PrivateKey own, PublicKey peer) throws Exception {
        KeyAgreement agreement = provider == null ? KeyAgreement.getInstance(algorithm) : KeyAgreement.getInstance(algorithm, provider);
        agreement.init(own);
        agreement.doPhase(peer, true);
        return agreement.generateSecret();
    }

    private static PrivateKey privateKey(String hex) throws Exception {
        return KeyFactory.getInstance("XDH", "SunEC").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, HEX.parseHex(hex)));
    }

    private static PublicKey publicKey(String littleEndianHex) throws Exception {
        BigInteger u = X25519KeyShares.fromLittleEndian(HEX.parseHex(littleEndianHex));
        return KeyFactory.getInstance("XDH", "SunEC").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
    }
}
