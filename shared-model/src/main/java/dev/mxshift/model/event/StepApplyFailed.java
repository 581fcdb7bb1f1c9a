package dev.mxshift.model.event;

import dev.mxshift.model.dns.RecordSet;

/**
 * The provider write did not happen. For a conflict, {@code actual} is what the provider holds (null when the
 * record set is absent); the plan step holds what was expected, so both versions are on record.
 */
public record StepApplyFailed(Direction direction, int step, ApplyFailureKind kind, String reason, RecordSet actual)
        implements MigrationEvent {
    public StepApplyFailed {
        Checks.step(direction, step, "StepApplyFailed");
        Checks.required(kind, "StepApplyFailed", "kind");
        Checks.text(reason, "StepApplyFailed", "reason");
    }
}
