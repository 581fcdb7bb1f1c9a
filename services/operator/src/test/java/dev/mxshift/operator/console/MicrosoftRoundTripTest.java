package dev.mxshift.operator.console;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The round trip's PowerShell: a partner's session, the enablement script with its CSV export, the DANE cmdlet per domain. */
class MicrosoftRoundTripTest {

    private static final TenantId TENANT = TenantId.of("t-a");

    @Test
    void aPartnersScriptOpensADelegatedSessionThenEnablesDnssecAndDanePerDomain() {
        String script = MicrosoftRoundTrip.script(TENANT, List.of(DomainName.of("target-a.example")), List.of(DomainName.of("dane-a.example")),
                DomainName.of("contoso-a.onmicrosoft.com"));
        assertThat(script.split("\r\n")[1]).isEqualTo("Connect-ExchangeOnline -DelegatedOrganization 'contoso-a.onmicrosoft.com'");
        assertThat(script).contains("'target-a.example'").contains("Export-Csv -Path 't-a-dnssec-mx.csv'")
                .contains("Enable-SmtpDaneInbound -DomainName 'dane-a.example'\r\n").contains("./mxshift confirm --tenant t-a --awaiting-confirmation");
    }

    @Test
    void theTenantsOwnAdministratorConnectsItselfAndNothingWaitingSaysSo() {
        String script = MicrosoftRoundTrip.script(TENANT, List.of(), List.of(), null);
        assertThat(script).doesNotContain("DelegatedOrganization").contains("Connect-ExchangeOnline as an administrator of tenant t-a")
                .contains("Nothing of tenant t-a waits for Microsoft.").doesNotContain("Enable-");
    }
}
