package dev.mxshift.model.event;

/** Where a retried domain starts again. */
public enum RetryMode {
    /** Repeat the step that failed (apply, or verify if the write had happened). */
    FROM_FAILED_STEP,
    /** Look at the domain afresh and plan again; allowed only while no change has been written. */
    FROM_DISCOVERY
}
