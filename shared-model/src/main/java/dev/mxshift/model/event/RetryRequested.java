package dev.mxshift.model.event;

/** An operator (or a retry policy) asked for a failed, blocked or conflicted domain to go on. */
public record RetryRequested(RetryMode mode, String requestedBy) implements MigrationEvent {
    public RetryRequested {
        Checks.required(mode, "RetryRequested", "mode");
        Checks.text(requestedBy, "RetryRequested", "requestedBy");
    }
}
