package dev.mxshift.model.workflow;

/** Where a domain's migration stands. {@link MigrationState#paused()} is kept apart, as it can hold in any of these. */
public enum WorkflowStatus {
    /** No event yet. */
    NEW,
    REQUESTED,
    DISCOVERED,
    DISCOVERY_FAILED,
    /** Preflight passed; waiting for the plan. */
    READY,
    BLOCKED,
    MIGRATING,
    ROLLING_BACK,
    /** A record set differed from what the plan expected; both versions are in {@link Failure}. */
    CONFLICT,
    FAILED,
    COMPLETED,
    ROLLED_BACK,
    CANCELLED;

    /** Nothing more happens on its own, and nothing but a rollback (from COMPLETED) is accepted. */
    public boolean terminal() {
        return this == COMPLETED || this == ROLLED_BACK || this == CANCELLED;
    }

    /** Waiting for a person: retry, roll back or cancel. */
    public boolean stopped() {
        return this == DISCOVERY_FAILED || this == BLOCKED || this == CONFLICT || this == FAILED;
    }
}
