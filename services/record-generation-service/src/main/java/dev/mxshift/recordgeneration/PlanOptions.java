package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.InvalidValueException;

/**
 * How plans are made. {@code loweredTtl}: the MX TTL while the change is under way (Microsoft: as low as the
 * provider allows, never below 30 s; default 300). {@code restoredTtl}: the TTL at the end; null keeps the
 * domain's original TTL. {@code reviewedChecksums}: when not null, only plans whose checksum a person approved
 * (from the dry-run report) go ahead; any other plan is held with its checksum, so nothing unreviewed is applied.
 */
public record PlanOptions(long loweredTtl, Long restoredTtl, java.util.Set<String> reviewedChecksums) {

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
        if (reviewedChecksums != null) {
            for (String checksum : reviewedChecksums) {
                if (checksum == null || !checksum.matches("[0-9a-f]{64}")) {
                    throw new InvalidValueException("reviewed plan checksum", checksum, "must be the 64 hex digits the dry run printed");
                }
            }
            reviewedChecksums = java.util.Set.copyOf(reviewedChecksums);
        }
    }

    public PlanOptions(long loweredTtl, Long restoredTtl) {
        this(loweredTtl, restoredTtl, null);
    }

    public static PlanOptions defaults() {
        return new PlanOptions(DEFAULT_LOWERED_TTL, null);
    }

    /** The same options, applying only the plans with these checksums. */
    public PlanOptions reviewed(java.util.Set<String> checksums) {
        return new PlanOptions(loweredTtl, restoredTtl, checksums);
    }
}
