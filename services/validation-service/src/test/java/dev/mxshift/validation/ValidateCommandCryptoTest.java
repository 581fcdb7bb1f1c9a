package dev.mxshift.validation;

import dev.mxshift.cryptotuning.SignatureVerifications;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.Signature;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./mxshift validate} installs what the benchmark reports (decision 0037): DNSSEC signatures by BouncyCastle, counted. */
class ValidateCommandCryptoTest {

    @Test
    void validateInstallsBouncyCastleForTheDnssecSignaturesAndNoTlsKeyShares() throws Exception {
        // Whatever an earlier test in this JVM installed: the command must do it itself.
        Security.removeProvider("MXSHIFT-BC");
        assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isNotEqualTo("MXSHIFT-BC");

        assertThat(ValidateCommand.run("--help")).isZero();

        assertThat(SignatureVerifications.providerOfAlgorithm13()).startsWith("MXSHIFT-BC (delegating to BC");
        assertThat(KeyPairGenerator.getInstance("XDH").getProvider().getName())
                .as("the probe's key shares are BoringSSL's (Conscrypt) or, in JSSE, the JDK's own").isEqualTo("SunEC");
    }
}
