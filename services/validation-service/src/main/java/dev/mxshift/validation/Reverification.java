package dev.mxshift.validation;

import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.StepVerificationFailed;
import dev.mxshift.model.event.VerificationRetryScheduled;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.workflow.MigrationState;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a step may take to be seen from outside, and how often it is checked meanwhile: a write is usually on
 * every authoritative server within seconds (a secondary's transfer, a provider's propagation), while Microsoft
 * publishes the TLSA of the new host 15 to 30 minutes after Enable-SmtpDaneInbound, so the final DANE check waits
 * longer. A check that does not see the step yet becomes a re-check at a durable timer, not a failure, until the
 * step's checks are used up. Pure.
 *
 * @param attempts     checks of a written step in all, the first included
 * @param interval     between two checks of a written step
 * @param daneAttempts checks of the final DANE verification in all
 * @param daneInterval between two of those
 * @param parentAttempts checks that the parent serves (or no longer serves) a zone's DS, in all: a registry takes days
 *                       to act on a CDS (.ch and .se want 72 hours of consistent observations), a person longer
 * @param parentInterval between two of those
 */
public record Reverification(int attempts, Duration interval, int daneAttempts, Duration daneInterval, int parentAttempts,
                             Duration parentInterval) {

    /** Seven days, checked hourly: what a CDS-scanning registry's bootstrapping or a person's submission can take. */
    public static final int PARENT_ATTEMPTS = 168;
    public static final Duration PARENT_INTERVAL = Duration.ofHours(1);

    public Reverification(int attempts, Duration interval, int daneAttempts, Duration daneInterval) {
        this(attempts, interval, daneAttempts, daneInterval, PARENT_ATTEMPTS, PARENT_INTERVAL);
    }

    public Reverification {
        if (parentAttempts < 1) {
            throw new IllegalArgumentException("the parent's DS needs at least one check, got " + parentAttempts);
        }
        if (parentInterval.isNegative()) {
            throw new IllegalArgumentException("the interval between checks of the parent cannot be negative");
        }
        if (attempts < 1 || daneAttempts < 1) {
            throw new IllegalArgumentException("verification needs at least one check, got " + attempts + " and " + daneAttempts);
        }
        if (interval.isNegative() || daneInterval.isNegative()) {
            throw new IllegalArgumentException("the interval between checks cannot be negative");
        }
    }

    /** The lab's and the tests' pace: what a lab serves is seen within seconds. */
    public static Reverification lab() {
        return new Reverification(20, Duration.ofSeconds(3), 20, Duration.ofSeconds(3), 60, Duration.ofSeconds(2));
    }

    /**
     * What one check found becomes the domain's next event: verified; not seen yet, checked again at a timer; or,
     * with the checks used up, the failure, saying how long it was looked for.
     */
    public MigrationEvent next(MigrationEvent seen, MigrationState state, PlanStep step, Instant now) {
        if (!(seen instanceof StepVerificationFailed failed)) {
            return seen;
        }
        boolean dane = step instanceof PlanStep.VerifyDane;
        boolean parent = step instanceof PlanStep.PublishDs || step instanceof PlanStep.WithdrawDs;
        int allowed = dane ? daneAttempts : parent ? parentAttempts : attempts;
        Duration pause = dane ? daneInterval : parent ? parentInterval : interval;
        int checksDone = state.verifyAttempts() + 1;
        if (checksDone < allowed) {
            return new VerificationRetryScheduled(failed.direction(), failed.step(), checksDone, now.plus(pause), failed.reason(),
                    failed.evidence());
        }
        return new StepVerificationFailed(failed.direction(), failed.step(), failed.reason() + " (checked " + checksDone
                + " time(s), " + pause.toSeconds() + " s apart)", failed.evidence());
    }
}
