package dev.mxshift.model.event;

/** Undo what has been done, in reverse, back to the discovered record set. */
public record RollbackRequested(String by, String reason) implements MigrationEvent {
    public RollbackRequested {
        Checks.text(by, "RollbackRequested", "by");
        reason = reason == null ? "" : reason;
    }
}
