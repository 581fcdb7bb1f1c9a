package dev.mxshift.model.event;

import java.util.List;

/**
 * Checked from outside: every authoritative server serves the step's target, signed, and DANE holds where asked. For a
 * DNSSEC step, {@code keys} (schema v5) is what was seen: the keys every server serves with the DS computed from them and
 * the largest signature TTL, or the DS every parent server serves with its TTL; null for every other step.
 */
public record StepVerified(Direction direction, int step, List<Evidence> evidence, dev.mxshift.model.dnssec.ZoneKeys keys)
        implements MigrationEvent {
    public StepVerified {
        Checks.step(direction, step, "StepVerified");
        evidence = Checks.list(evidence);
    }

    public StepVerified(Direction direction, int step, List<Evidence> evidence) {
        this(direction, step, evidence, null);
    }
}
