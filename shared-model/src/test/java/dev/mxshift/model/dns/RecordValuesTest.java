package dev.mxshift.model.dns;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordValuesTest {

    private static final DomainName OWNER = DomainName.of("contoso.com");

    @Test
    void anMxSetIsEqualWhateverTheOrderItWasGivenIn() {
        var a = MxRecordSet.of(OWNER, 300, MxRecord.of(30, "b.example"), MxRecord.of(0, "a.example"));
        var b = MxRecordSet.of(OWNER, 300, MxRecord.of(0, "a.example"), MxRecord.of(30, "b.example"));
        assertThat(a).isEqualTo(b);
        assertThat(a.toRecordSet().rdata()).containsExactly("0 a.example.", "30 b.example.");
    }

    @Test
    void mxValuesOutOfRangeAreNamed() {
        assertThatThrownBy(() -> MxRecord.of(70000, "a.example")).hasMessageContaining("MX preference '70000'");
        assertThatThrownBy(() -> MxRecordSet.of(OWNER, -1)).hasMessageContaining("MX TTL '-1'");
        assertThatThrownBy(() -> MxRecordSet.of(OWNER, 300, MxRecord.of(0, "a.example"), MxRecord.of(0, "A.example.")))
                .hasMessageContaining("appears twice");
    }

    @Test
    void hostKindsFollowTheThreeLegacySuffixesAndTheNewOne() {
        assertThat(MxHostKind.of(DomainName.of("contoso-com.mail.protection.outlook.com"))).isEqualTo(MxHostKind.LEGACY_EXCHANGE_ONLINE);
        assertThat(MxHostKind.of(DomainName.of("contoso-com.mail.eo.outlook.com"))).isEqualTo(MxHostKind.LEGACY_EXCHANGE_ONLINE);
        assertThat(MxHostKind.of(DomainName.of("contoso-de.mail.protection.outlook.de"))).isEqualTo(MxHostKind.LEGACY_EXCHANGE_ONLINE);
        assertThat(MxHostKind.of(DomainName.of("contoso-com.o-v1.mx.microsoft"))).isEqualTo(MxHostKind.DANE_EXCHANGE_ONLINE);
        assertThat(MxHostKind.of(DomainName.of("mx1.gateway.example"))).isEqualTo(MxHostKind.OTHER);
        assertThat(MxHostKind.of(DomainName.of("outlook.com.evil.example"))).isEqualTo(MxHostKind.OTHER);
    }

    @Test
    void recordSetsAllowServiceLabelsAndSortTheirData() {
        var tlsa = new RecordSet("_25._tcp.contoso-com.o-v1.mx.microsoft", "TLSA", 3600,
                List.of("3 1 1 " + "b".repeat(64), "2 1 1 " + "a".repeat(64)));
        assertThat(tlsa.rdata().get(0)).startsWith("2 1 1");
        assertThatThrownBy(() -> new RecordSet("Contoso.com", "MX", 1, List.of("0 a.example.")))
                .hasMessageContaining("lower case");
        assertThatThrownBy(() -> new RecordSet("contoso.com", "mx", 1, List.of("0 a.example.")))
                .hasMessageContaining("upper-case mnemonic");
        assertThatThrownBy(() -> new RecordSet("contoso.com", "MX", 1, List.of()))
                .hasMessageContaining("at least one record");
    }

    @Test
    void tlsaUsabilityFollowsRfc7672() {
        String sha256 = "ab".repeat(32);
        assertThat(new TlsaRecord(3, 1, 1, sha256).isUsableForSmtp()).isTrue();
        assertThat(new TlsaRecord(2, 0, 1, sha256).isUsableForSmtp()).isTrue();
        assertThat(new TlsaRecord(1, 1, 1, sha256).isUsableForSmtp()).isFalse();
        assertThat(new TlsaRecord(0, 1, 1, sha256).isUsableForSmtp()).isFalse();
        assertThat(new TlsaRecord(3, 1, 255, "ab").isUsableForSmtp()).isFalse();
        assertThat(new TlsaRecord(3, 1, 1, sha256.toUpperCase()).data()).isEqualTo(sha256);
        assertThatThrownBy(() -> new TlsaRecord(3, 1, 1, "abcd")).hasMessageContaining("32-byte digest, found 2 bytes");
        assertThatThrownBy(() -> new TlsaRecord(3, 1, 1, "zz")).hasMessageContaining("hex");
        assertThatThrownBy(() -> new TlsaRecord(256, 1, 1, sha256)).hasMessageContaining("certificate usage");
    }

    @Test
    void tenantAndProviderReferencesAreChecked() {
        assertThat(TenantId.of("5f1c2d3e-aaaa-bbbb-cccc-123456789abc").value()).hasSize(36);
        assertThatThrownBy(() -> TenantId.of(" acme")).hasMessageContaining("tenant id");
        assertThatThrownBy(() -> TenantId.of("a".repeat(129))).hasMessageContaining("limit is 128");
        assertThatThrownBy(() -> ProviderRef.of("PowerDNS Main", "contoso.com")).hasMessageContaining("connector id");
        assertThat(ProviderRef.of("powerdns-main", "Contoso.com.").zone().value()).isEqualTo("contoso.com");
    }
}
