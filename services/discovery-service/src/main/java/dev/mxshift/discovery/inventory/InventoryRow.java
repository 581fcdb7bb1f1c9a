package dev.mxshift.discovery.inventory;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;

import java.util.List;

/**
 * One accepted inventory row: a domain of a tenant, where its zone is hosted, and Microsoft's DnssecMxValue when
 * the hoster has it (null otherwise; it is never derived from the domain name), and what to do if its zone is
 * unsigned (null: the validation service's configuration decides).
 */
public record InventoryRow(long line, TenantId tenant, DomainName domain, ProviderRef provider, DomainName targetHost,
                           String wave, List<String> tags, dev.mxshift.model.event.UnsignedZonePolicy unsignedZone) {
    public InventoryRow {
        tags = List.copyOf(tags);
    }

    public InventoryRow(long line, TenantId tenant, DomainName domain, ProviderRef provider, DomainName targetHost, String wave, List<String> tags) {
        this(line, tenant, domain, provider, targetHost, wave, tags, null);
    }
}
