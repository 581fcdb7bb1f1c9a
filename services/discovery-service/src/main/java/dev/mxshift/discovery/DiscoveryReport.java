package dev.mxshift.discovery;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.DiscoveryFailed;
import dev.mxshift.model.event.DiscoverySnapshot;
import dev.mxshift.model.event.FailureKind;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MxClassification;

/**
 * Discovery's verdict on one domain: a snapshot (the domain was seen and classified), or a failure that is
 * retryable (no answer, a SERVFAIL for the MX alone) or permanent (NXDOMAIN). A failure still names the
 * classification when there is one (NXDOMAIN), so the command's output says what the domain is.
 */
public record DiscoveryReport(DomainName domain, MxClassification classification, String reason,
                              DiscoverySnapshot snapshot, FailureKind failure) {

    public DiscoveryReport {
        if ((snapshot == null) == (failure == null)) {
            throw new IllegalArgumentException("a report has a snapshot or a failure, not both or neither");
        }
    }

    public static DiscoveryReport discovered(DomainName domain, DiscoverySnapshot snapshot) {
        return new DiscoveryReport(domain, snapshot.classification(), snapshot.reason(), snapshot, null);
    }

    public static DiscoveryReport failed(DomainName domain, MxClassification classification, FailureKind kind, String reason) {
        return new DiscoveryReport(domain, classification, reason, null, kind);
    }

    /** The event the discovery service appends for this domain. */
    public MigrationEvent event() {
        return snapshot != null ? new Discovered(snapshot) : new DiscoveryFailed(failure, reason);
    }
}
