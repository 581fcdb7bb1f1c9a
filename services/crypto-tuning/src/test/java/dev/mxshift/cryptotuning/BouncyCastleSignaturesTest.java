package dev.mxshift.cryptotuning;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

import static org.assertj.core.api.Assertions.assertThat;

/** The provider dnsjava verifies through: BouncyCastle does the work, and an outcome seen before is not computed again. */
class BouncyCastleSignaturesTest {

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static byte[] sign(KeyPair keys, byte[] data) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA", "SunEC");
        signer.initSign(keys.getPrivate());
        signer.update(data);
        return signer.sign();
    }

    private static boolean verify(KeyPair keys, byte[] data, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        assertThat(verifier.getProvider().getName()).isEqualTo(BouncyCastleSignatures.NAME);
        verifier.initVerify(keys.getPublic());
        verifier.update(data);
        return verifier.verify(signature);
    }

    @Test
    void aRepeatedVerificationIsAnsweredFromMemoryAndAForgeryIsNeverTakenForIt() throws Exception {
        CryptoTuning.installDnssecSignatureVerification();
        KeyPair keys = p256();
        byte[] data = "t2-eligible-signed.com. DNSKEY".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = sign(keys, data);

        long computed = SignatureVerifications.computed();
        long remembered = SignatureVerifications.remembered();
        assertThat(verify(keys, data, signature)).isTrue();
        assertThat(verify(keys, data, signature)).isTrue();
        assertThat(SignatureVerifications.computed() - computed).as("computed once").isEqualTo(1);
        assertThat(SignatureVerifications.remembered() - remembered).as("then remembered").isEqualTo(1);

        byte[] altered = "t2-eligible-signed.com. DNSKEX".getBytes(StandardCharsets.US_ASCII);
        assertThat(verify(keys, altered, signature)).as("other data, same signature").isFalse();
        assertThat(verify(keys, altered, signature)).as("and again").isFalse();
        assertThat(verify(p256(), data, signature)).as("the same data and signature under another key").isFalse();
        assertThat(SignatureVerifications.computed() - computed).isEqualTo(3);
        assertThat(verify(keys, data, signature)).as("the genuine one still").isTrue();
    }

    @Test
    void oneInitialisationVerifiesOneSignatureAfterAnother() throws Exception {
        CryptoTuning.installDnssecSignatureVerification();
        KeyPair keys = p256();
        byte[] first = "first".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "second".getBytes(StandardCharsets.US_ASCII);
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(keys.getPublic());
        verifier.update(first);
        assertThat(verifier.verify(sign(keys, first))).isTrue();
        verifier.update(second);
        assertThat(verifier.verify(sign(keys, first))).as("the first signature does not cover the second data").isFalse();
        verifier.update(second);
        assertThat(verifier.verify(sign(keys, second))).isTrue();
    }

    @Test
    void aSignatureReusedWithoutInitVerifyAfterAnAnswerFromMemoryVerifiesOnlyTheDataGivenSince() throws Exception {
        CryptoTuning.installDnssecSignatureVerification();
        KeyPair keys = p256();
        byte[] first = "reused-first.example. MX".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "reused-second.example. MX".getBytes(StandardCharsets.US_ASCII);
        byte[] firstSignature = sign(keys, first);
        assertThat(verify(keys, first, firstSignature)).as("computed, so remembered").isTrue();

        long remembered = SignatureVerifications.remembered();
        long computed = SignatureVerifications.computed();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(keys.getPublic());
        verifier.update(first);
        assertThat(verifier.verify(firstSignature)).isTrue();
        assertThat(SignatureVerifications.remembered() - remembered).as("answered from memory").isEqualTo(1);

        verifier.update(second);
        assertThat(verifier.verify(sign(keys, second))).as("the first data is not still buffered in front of the second").isTrue();
        assertThat(SignatureVerifications.computed() - computed).as("computed, by the delegate").isEqualTo(1);
        verifier.update(first);
        assertThat(verifier.verify(firstSignature)).as("and from memory again").isTrue();
        verifier.update(second);
        assertThat(verifier.verify(firstSignature)).as("a signature over other data is still refused").isFalse();
    }

    @Test
    void theCpuOfComputedVerificationsIsCountedAndARememberedOneCostsNone() throws Exception {
        CryptoTuning.installDnssecSignatureVerification();
        KeyPair keys = p256();
        byte[][] data = new byte[20][];
        byte[][] signatures = new byte[20][];
        for (int i = 0; i < data.length; i++) {
            data[i] = ("cpu-" + i + ".example. MX").getBytes(StandardCharsets.US_ASCII);
            signatures[i] = sign(keys, data[i]);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long threadBefore = threads.getCurrentThreadCpuTime();
        long countedBefore = SignatureVerifications.verifyingCpuNanos();
        for (int i = 0; i < data.length; i++) {
            assertThat(verify(keys, data[i], signatures[i])).isTrue();
        }
        long counted = SignatureVerifications.verifyingCpuNanos() - countedBefore;
        assertThat(counted).as("20 ECDSA verifications take CPU").isPositive()
                .isLessThanOrEqualTo(threads.getCurrentThreadCpuTime() - threadBefore);

        long rememberedBefore = SignatureVerifications.verifyingCpuNanos();
        for (int i = 0; i < data.length; i++) {
            assertThat(verify(keys, data[i], signatures[i])).isTrue();
        }
        assertThat(SignatureVerifications.verifyingCpuNanos()).as("answered from memory, not computed").isEqualTo(rememberedBefore);
    }
}
