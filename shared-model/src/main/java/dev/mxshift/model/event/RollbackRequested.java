package dev.mxshift.model.event;

/**
 * Undo what has been done, in reverse, back to the discovered record set. A zone the DNSSEC stage signed or chained stays
 * so unless {@code unsign} (schema v5) asks to undo that too: then the DS is withdrawn first, and signing stops only once
 * no cache can hold it (invariant 6).
 */
public record RollbackRequested(String by, String reason, boolean unsign) implements MigrationEvent {
    public RollbackRequested {
        Checks.text(by, "RollbackRequested", "by");
        reason = reason == null ? "" : reason;
    }

    public RollbackRequested(String by, String reason) {
        this(by, reason, false);
    }
}
