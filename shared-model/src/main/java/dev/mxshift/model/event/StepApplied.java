package dev.mxshift.model.event;

/**
 * The provider now serves the step's target. {@code alreadyInPlace} is true when the target was found in place
 * and nothing was written (an idempotent repeat). {@code evidence} is the provider's word: serial, change id.
 * {@code keys} (schema v5) is what a DNSSEC step did: the keys and DS the provider signed with, or the DS submitted to
 * the parent; null for every other step.
 */
public record StepApplied(Direction direction, int step, boolean alreadyInPlace, String evidence,
                          dev.mxshift.model.dnssec.ZoneKeys keys) implements MigrationEvent {
    public StepApplied {
        Checks.step(direction, step, "StepApplied");
        evidence = evidence == null ? "" : evidence;
    }

    public StepApplied(Direction direction, int step, boolean alreadyInPlace, String evidence) {
        this(direction, step, alreadyInPlace, evidence, null);
    }
}
