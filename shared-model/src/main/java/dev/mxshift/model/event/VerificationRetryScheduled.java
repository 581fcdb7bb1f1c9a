package dev.mxshift.model.event;

import java.time.Instant;
import java.util.List;

/**
 * A pushed step (or the final DANE check) was not seen yet from outside: a secondary that has not transferred,
 * Microsoft not yet publishing TLSA (15-30 minutes). It is checked again at {@code dueAt} by a durable timer; this is
 * attempt {@code attempt} of the step's verification, with what was seen this time.
 */
public record VerificationRetryScheduled(Direction direction, int step, int attempt, Instant dueAt, String reason,
                                         List<Evidence> evidence) implements MigrationEvent {
    public VerificationRetryScheduled {
        Checks.step(direction, step, "VerificationRetryScheduled");
        if (attempt < 1) {
            throw new dev.mxshift.model.dns.InvalidValueException("VerificationRetryScheduled.attempt", String.valueOf(attempt), "must be at least 1");
        }
        Checks.required(dueAt, "VerificationRetryScheduled", "dueAt");
        Checks.text(reason, "VerificationRetryScheduled", "reason");
        evidence = Checks.list(evidence);
    }
}
