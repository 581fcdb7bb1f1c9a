package dev.mxshift.model.event;

/** Why a provider write did not happen. */
public enum ApplyFailureKind {
    /** Timeouts, 5xx, throttling beyond the retry budget. */
    RETRYABLE,
    /** The record set at the provider is not the one the plan expected: someone edited it. */
    CONFLICT,
    /** The provider refused the credentials. */
    AUTHENTICATION,
    /** The provider rejected the change itself (validation error, zone missing). */
    PERMANENT
}
