package dev.mxshift.model.event;

/** The migration stops for good; the domain keeps its current, mail-safe MX set. */
public record Cancelled(String by, String reason) implements MigrationEvent {
    public Cancelled {
        Checks.text(by, "Cancelled", "by");
        reason = reason == null ? "" : reason;
    }
}
