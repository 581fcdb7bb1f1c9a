package dev.mxshift.model.event;

/** No new step starts until resumed; results of steps already under way are still recorded. */
public record Paused(String by, String reason) implements MigrationEvent {
    public Paused {
        Checks.text(by, "Paused", "by");
        reason = reason == null ? "" : reason;
    }
}
