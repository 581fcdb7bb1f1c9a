package dev.mxshift.model.event;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;

import java.util.List;

/**
 * A domain was accepted from an inventory. {@code targetMxHost} is Microsoft's {@code DnssecMxValue} when the
 * inventory had it (null otherwise; it is never derived from the domain name). With {@code hold} (schema v3) the
 * domain waits, untouched, until an operator starts it ({@link Started}). {@code unsignedZone} (schema v4) is the
 * inventory row's policy for an unsigned zone; null leaves it to the validation service's configuration (by wave, by
 * tenant, then its default).
 */
public record MigrationRequested(ProviderRef provider, DomainName targetMxHost, String wave, List<String> tags,
                                 String requestedBy, boolean hold, UnsignedZonePolicy unsignedZone) implements MigrationEvent {
    public MigrationRequested {
        Checks.required(provider, "MigrationRequested", "provider");
        tags = Checks.list(tags);
        Checks.text(requestedBy, "MigrationRequested", "requestedBy");
    }

    /** A request whose unsigned-zone policy is the services' configuration's. */
    public MigrationRequested(ProviderRef provider, DomainName targetMxHost, String wave, List<String> tags, String requestedBy, boolean hold) {
        this(provider, targetMxHost, wave, tags, requestedBy, hold, null);
    }

    /** A request that starts at once (not on hold). */
    public MigrationRequested(ProviderRef provider, DomainName targetMxHost, String wave, List<String> tags, String requestedBy) {
        this(provider, targetMxHost, wave, tags, requestedBy, false);
    }
}
