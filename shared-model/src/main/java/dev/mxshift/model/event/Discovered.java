package dev.mxshift.model.event;

/** Discovery looked at the domain from outside and classified it. */
public record Discovered(DiscoverySnapshot snapshot) implements MigrationEvent {
    public Discovered {
        Checks.required(snapshot, "Discovered", "snapshot");
    }
}
