package dev.mxshift.model.event;

import java.util.List;

/** Checked from outside: every authoritative server serves the step's target, signed, and DANE holds where asked. */
public record StepVerified(Direction direction, int step, List<Evidence> evidence) implements MigrationEvent {
    public StepVerified {
        Checks.required(direction, "StepVerified", "direction");
        Checks.stepIndex(step, "StepVerified");
        evidence = Checks.list(evidence);
    }
}
