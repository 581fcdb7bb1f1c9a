package dev.mxshift.model.event;

/** The workflow cannot go on without a person; the domain keeps the last verified, mail-safe MX set. */
public record MigrationFailed(String reason) implements MigrationEvent {
    public MigrationFailed {
        Checks.text(reason, "MigrationFailed", "reason");
    }
}
