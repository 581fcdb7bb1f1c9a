package dev.mxshift.model.event;

import dev.mxshift.model.dns.DomainName;

/**
 * Microsoft's new MX host for the domain became known after the request: imported from the CSV that
 * Enable-DnssecForVerifiedDomain's script exported, or read from Microsoft Graph. Allowed until a plan exists;
 * {@code source} says where it came from.
 */
public record TargetAssigned(DomainName targetHost, String source) implements MigrationEvent {
    public TargetAssigned {
        Checks.required(targetHost, "TargetAssigned", "targetHost");
        Checks.text(source, "TargetAssigned", "source");
        if (dev.mxshift.model.dns.MxHostKind.of(targetHost) != dev.mxshift.model.dns.MxHostKind.DANE_EXCHANGE_ONLINE) {
            throw new dev.mxshift.model.dns.InvalidValueException("target host", targetHost.value(),
                    "is not an mx.microsoft host; Microsoft's DnssecMxValue always is");
        }
    }
}
