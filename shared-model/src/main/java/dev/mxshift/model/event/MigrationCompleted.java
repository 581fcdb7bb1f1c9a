package dev.mxshift.model.event;

import dev.mxshift.model.dns.MxRecordSet;

/** Every step ran and was verified; {@code finalMx} is what the domain now serves. */
public record MigrationCompleted(MxRecordSet finalMx) implements MigrationEvent {
    public MigrationCompleted {
        Checks.required(finalMx, "MigrationCompleted", "finalMx");
    }
}
