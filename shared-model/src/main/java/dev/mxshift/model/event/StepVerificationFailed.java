package dev.mxshift.model.event;

import java.util.List;

/** Verification gave up: what was expected was not seen, with who said what. */
public record StepVerificationFailed(Direction direction, int step, String reason, List<Evidence> evidence)
        implements MigrationEvent {
    public StepVerificationFailed {
        Checks.step(direction, step, "StepVerificationFailed");
        Checks.text(reason, "StepVerificationFailed", "reason");
        evidence = Checks.list(evidence);
    }
}
