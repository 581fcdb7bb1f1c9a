package dev.mxshift.model.event;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;

import java.util.List;

/**
 * A domain was accepted from an inventory. {@code targetMxHost} is Microsoft's {@code DnssecMxValue} when the
 * inventory had it (null otherwise; it is never derived from the domain name).
 */
public record MigrationRequested(ProviderRef provider, DomainName targetMxHost, String wave, List<String> tags,
                                 String requestedBy) implements MigrationEvent {
    public MigrationRequested {
        Checks.required(provider, "MigrationRequested", "provider");
        tags = Checks.list(tags);
        Checks.text(requestedBy, "MigrationRequested", "requestedBy");
    }
}
