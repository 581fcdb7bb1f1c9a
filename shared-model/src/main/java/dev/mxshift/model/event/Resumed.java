package dev.mxshift.model.event;

/** The domain goes on from where it was paused. */
public record Resumed(String by) implements MigrationEvent {
    public Resumed {
        Checks.text(by, "Resumed", "by");
    }
}
