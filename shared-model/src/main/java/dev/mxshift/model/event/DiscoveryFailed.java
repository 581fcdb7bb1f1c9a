package dev.mxshift.model.event;

/** Discovery could not complete: retryable (timeouts, SERVFAIL) or permanent (NXDOMAIN). */
public record DiscoveryFailed(FailureKind kind, String reason) implements MigrationEvent {
    public DiscoveryFailed {
        Checks.required(kind, "DiscoveryFailed", "kind");
        Checks.text(reason, "DiscoveryFailed", "reason");
    }
}
