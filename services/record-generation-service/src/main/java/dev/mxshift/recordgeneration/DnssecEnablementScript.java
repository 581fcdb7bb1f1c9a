package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;

import java.util.List;

/**
 * For a tenant's domains that have no mx.microsoft host yet, the Exchange Online PowerShell script that runs
 * Enable-DnssecForVerifiedDomain for each and exports what Microsoft returned as CSV
 * ({@code tenant,domain,dnssec_mx_value,error}), the columns the inventory import reads back.
 * Names are validated value types, so nothing in them needs escaping; each domain is given as Microsoft shows it
 * (Unicode), with its A-label in a comment.
 */
public final class DnssecEnablementScript {

    public static final String CSV_HEADER = "tenant,domain,dnssec_mx_value,error";

    private DnssecEnablementScript() {
    }

    public static String forTenant(TenantId tenant, List<DomainName> domains) {
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("no domain of tenant " + tenant + " needs Enable-DnssecForVerifiedDomain");
        }
        StringBuilder ps = new StringBuilder();
        ps.append("# Written by mxshift for tenant ").append(tenant).append(": ").append(domains.size())
                .append(" domain(s) have no mx.microsoft host yet.\r\n")
                .append("# Run in Exchange Online PowerShell as an administrator of this tenant (Connect-ExchangeOnline first).\r\n")
                .append("# It writes ").append(csvName(tenant)).append(" (").append(CSV_HEADER).append("); import it with the inventory.\r\n")
                .append("$ErrorActionPreference = 'Stop'\r\n")
                .append("$tenant = '").append(tenant.value()).append("'\r\n")
                .append("$domains = @(\r\n");
        for (DomainName domain : domains) {
            ps.append("    '").append(domain.unicode()).append("'");
            if (!domain.unicode().equals(domain.value())) {
                ps.append("  # ").append(domain.value());
            }
            ps.append("\r\n");
        }
        ps.append(")\r\n")
                .append("$results = foreach ($domain in $domains) {\r\n")
                .append("    try {\r\n")
                .append("        $result = Enable-DnssecForVerifiedDomain -DomainName $domain\r\n")
                .append("        [pscustomobject]@{ tenant = $tenant; domain = $domain; dnssec_mx_value = $result.DnssecMxValue; error = '' }\r\n")
                .append("    } catch {\r\n")
                .append("        [pscustomobject]@{ tenant = $tenant; domain = $domain; dnssec_mx_value = ''; error = $_.Exception.Message }\r\n")
                .append("    }\r\n")
                .append("}\r\n")
                .append("$results | Export-Csv -Path '").append(csvName(tenant)).append("' -NoTypeInformation -Encoding UTF8\r\n")
                .append("$results | Format-Table -AutoSize\r\n");
        return ps.toString();
    }

    public static String csvName(TenantId tenant) {
        return tenant.value().replaceAll("[^A-Za-z0-9._-]", "_") + "-dnssec-mx.csv";
    }
}
