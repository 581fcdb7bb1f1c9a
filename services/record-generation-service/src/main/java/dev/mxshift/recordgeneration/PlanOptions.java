package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.InvalidValueException;

/**
 * How plans are made. {@code loweredTtl}: the MX TTL while the change is under way (Microsoft: as low as the
 * provider allows, never below 30 s; default 300). {@code restoredTtl}: the TTL at the end; null keeps the
 * domain's original TTL.
 */
public record PlanOptions(long loweredTtl, Long restoredTtl) {

    /** Microsoft's procedure, step 1 and 3: "not below 30 seconds". */
    public static final long MINIMUM_TTL = 30;
    public static final long DEFAULT_LOWERED_TTL = 300;

    public PlanOptions {
        if (loweredTtl < MINIMUM_TTL) {
            throw new InvalidValueException("lowered MX TTL", String.valueOf(loweredTtl),
                    "must be at least " + MINIMUM_TTL + " seconds (Microsoft's procedure, step 1)");
        }
        if (restoredTtl != null && restoredTtl < MINIMUM_TTL) {
            throw new InvalidValueException("restored MX TTL", String.valueOf(restoredTtl),
                    "must be at least " + MINIMUM_TTL + " seconds");
        }
    }

    public static PlanOptions defaults() {
        return new PlanOptions(DEFAULT_LOWERED_TTL, null);
    }
}
