package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DnssecEnablementScriptTest {

    @Test
    void theScriptEnablesDnssecForEachBlockedDomainAndExportsTheCsvTheImportReads() {
        String script = DnssecEnablementScript.forTenant(TenantId.of("acme:eu"),
                List.of(DomainName.of("contoso.com"), DomainName.of("bücher.de")));
        assertThat(script)
                .contains("$tenant = 'acme:eu'")
                .contains("    'contoso.com'\r\n")
                .contains("    'bücher.de'  # xn--bcher-kva.de\r\n")
                .contains("Enable-DnssecForVerifiedDomain -DomainName $domain")
                .contains("dnssec_mx_value = $result.DnssecMxValue")
                .contains("Export-Csv -Path 'acme_eu-dnssec-mx.csv' -NoTypeInformation -Encoding UTF8")
                .contains(DnssecEnablementScript.CSV_HEADER);
        assertThat(script.split("Enable-DnssecForVerifiedDomain -DomainName", -1)).as("one call in the loop").hasSize(2);
        assertThat(script.lines().filter(l -> l.startsWith("    '")).count()).isEqualTo(2);
    }

    @Test
    void aTenantWithoutBlockedDomainsGetsNoScript() {
        assertThatThrownBy(() -> DnssecEnablementScript.forTenant(TenantId.of("acme"), List.of()))
                .hasMessageContaining("no domain of tenant acme");
    }
}
