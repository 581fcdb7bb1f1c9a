package dev.mxshift.model.event;

import dev.mxshift.model.dns.MxRecordSet;

/** The rollback ran and was verified; {@code restoredMx} equals the discovered set. */
public record RolledBack(MxRecordSet restoredMx) implements MigrationEvent {
    public RolledBack {
        Checks.required(restoredMx, "RolledBack", "restoredMx");
    }
}
