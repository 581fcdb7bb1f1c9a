package dev.mxshift.model.event;

/** An operator started a domain that was imported on hold; the workflow goes on from where it waited. */
public record Started(String by) implements MigrationEvent {
    public Started {
        Checks.text(by, "Started", "by");
    }
}
