package dev.mxshift.model.event;

/** How a failure should be handled: try again later, or a person has to act. */
public enum FailureKind {
    RETRYABLE,
    PERMANENT
}
