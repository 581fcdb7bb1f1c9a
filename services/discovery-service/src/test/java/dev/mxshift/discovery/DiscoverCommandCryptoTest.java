package dev.mxshift.discovery;

import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.Signature;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mxshift discover} installs BouncyCastle's arithmetic for its MTA-STS fetches' JSSE handshakes (decision
 * 0037): the chain's signatures and the key shares.
 */
class DiscoverCommandCryptoTest {

    @Test
    void discoverInstallsBouncyCastleForTheJsseHandshakesOfItsMtaStsFetches() throws Exception {
        // Whatever an earlier test in this JVM installed: the command must do it itself.
        Security.removeProvider("MXSHIFT-BC");
        Security.removeProvider("MXSHIFT-BC-KEY-SHARES");
        assertThat(KeyPairGenerator.getInstance("XDH").getProvider().getName()).isEqualTo("SunEC");

        assertThat(DiscoverCommand.run("--help")).isZero();

        assertThat(Signature.getInstance("SHA256withRSA").getProvider().getName()).isEqualTo("MXSHIFT-BC");
        assertThat(KeyPairGenerator.getInstance("XDH").getProvider().getName()).isEqualTo("MXSHIFT-BC-KEY-SHARES");
        assertThat(KeyPairGenerator.getInstance("EC").getProvider().getName()).isEqualTo("MXSHIFT-BC-KEY-SHARES");
    }
}
