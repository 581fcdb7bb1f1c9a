package dev.mxshift.model.event;

/**
 * The provider now serves the step's target. {@code alreadyInPlace} is true when the target was found in place
 * and nothing was written (an idempotent repeat). {@code evidence} is the provider's word: serial, change id.
 */
public record StepApplied(Direction direction, int step, boolean alreadyInPlace, String evidence) implements MigrationEvent {
    public StepApplied {
        Checks.required(direction, "StepApplied", "direction");
        Checks.stepIndex(step, "StepApplied");
        evidence = evidence == null ? "" : evidence;
    }
}
