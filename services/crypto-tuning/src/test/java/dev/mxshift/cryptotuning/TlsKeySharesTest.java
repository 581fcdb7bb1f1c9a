package dev.mxshift.cryptotuning;

import org.junit.jupiter.api.Test;

import javax.crypto.KeyAgreement;
import java.security.AlgorithmParameters;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

import static org.assertj.core.api.Assertions.assertThat;

/** EC key pairs (the TLS key shares) come from BouncyCastle, told the curve by name; the JDK's key agreement takes them. */
class TlsKeySharesTest {

    @Test
    void ecKeyPairsComeFromBouncyCastleAndTheJdksKeyAgreementTakesThem() throws Exception {
        CryptoTuning.installJsseHandshakeArithmetic();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        assertThat(generator.getProvider().getName()).isEqualTo(TlsKeyShares.NAME);
        // The parameters as JSSE hands them over: a java.security.spec.ECParameterSpec of the named curve.
        AlgorithmParameters curve = AlgorithmParameters.getInstance("EC", "SunEC");
        curve.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec p256 = curve.getParameterSpec(ECParameterSpec.class);
        assertThat(TlsKeyShares.NamedCurveKeyPairs.byName(p256)).as("told BouncyCastle by name, so its precomputation is kept")
                .isInstanceOfSatisfying(ECGenParameterSpec.class, named -> assertThat(named.getName()).isEqualTo("secp256r1"));
        generator.initialize(p256);
        KeyPair ours = generator.generateKeyPair();
        assertThat(ours.getPrivate().getClass().getName()).startsWith("org.bouncycastle.");

        KeyPairGenerator jdk = KeyPairGenerator.getInstance("EC", "SunEC");
        jdk.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair theirs = jdk.generateKeyPair();
        KeyAgreement fromOurs = KeyAgreement.getInstance("ECDH");
        fromOurs.init(ours.getPrivate());
        fromOurs.doPhase(theirs.getPublic(), true);
        KeyAgreement fromTheirs = KeyAgreement.getInstance("ECDH", "SunEC");
        fromTheirs.init(theirs.getPrivate());
        fromTheirs.doPhase(ours.getPublic(), true);
        assertThat(fromOurs.getProvider().getName()).as("the agreement stays the JDK's").isEqualTo("SunEC");
        assertThat(fromOurs.generateSecret()).isEqualTo(fromTheirs.generateSecret());
    }

}
