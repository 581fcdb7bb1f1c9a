package dev.mxshift.model.workflow;

/** The ways an event can be illegal for a state; stable codes for dead-letter reasons and metrics. */
public enum Violation {
    WRONG_DOMAIN,
    WRONG_TENANT,
    /** The sequence is not the next one: a duplicate or stale event (lower) or a gap (higher). */
    OUT_OF_SEQUENCE,
    NOT_ALLOWED_IN_STATUS,
    WRONG_DIRECTION,
    WRONG_STEP,
    WRONG_STEP_KIND,
    WRONG_PHASE,
    PLAN_MISMATCH,
    /** Only domains discovered at a single legacy Exchange Online MX are migrated; others are reported, never touched. */
    NOT_ELIGIBLE,
    /** Invariant 1: no step leaves a domain with an empty MX set. */
    EMPTY_MX_SET,
    /** Invariant 2: the legacy MX is removed only after the new MX was verified from outside. */
    LEGACY_REMOVED_BEFORE_NEW_VERIFIED,
    /** A terminal event claims a record set other than the one the workflow knows is live. */
    RECORD_SET_MISMATCH,
    /** Re-planning after writes would lose the way back to the discovered record set. */
    REDISCOVERY_AFTER_CHANGES,
    ALREADY_PAUSED,
    NOT_PAUSED,
    /** Only a domain imported on hold, and not started yet, can be started. */
    NOT_HELD,
    /**
     * Invariant 6, never a bogus second: a DS only for keys verified on every authoritative server, never a second key,
     * signing stopped only once the DS is gone from the parent.
     */
    DNSSEC_ORDER
}
