package dev.mxshift.validation.dane;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where the probe's handshake runs: BoringSSL through Conscrypt by default, the JDK's JSSE when told or when it must. */
class SmtpStartTlsStackTest {

    @Test
    void byDefaultTheHandshakeRunsInBoringSslWhereConscryptCarriesANativeLibrary() {
        assumeTrue(TlsStacks.carriesNativeLibrary(), "Conscrypt's jar has no native library for this platform");
        assertThat(SmtpStartTls.conscrypt("")).isNotNull();
        assertThat(SmtpStartTls.conscrypt("conscrypt")).isNotNull();
        assertThat(SmtpStartTls.tlsStack()).startsWith("BoringSSL via Conscrypt 2.5.");
    }

    @Test
    void theJdkSettingChoosesJsse() {
        assertThat(SmtpStartTls.conscrypt("jdk")).isNull();
        assertThat(SmtpStartTls.conscrypt(" JDK ")).isNull();
    }

    @Test
    void anUnknownSettingIsRefusedByName() {
        assertThatThrownBy(() -> SmtpStartTls.conscrypt("openssl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SmtpStartTls.TLS_STACK_PROPERTY).hasMessageContaining("'openssl'").hasMessageContaining("jdk");
    }
}
