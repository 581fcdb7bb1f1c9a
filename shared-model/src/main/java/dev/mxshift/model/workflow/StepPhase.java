package dev.mxshift.model.workflow;

/** Where the current step is in its own small life. */
public enum StepPhase {
    /** Not started: the owner of the step acts next. */
    PENDING,
    /** Written to the provider; awaiting verification from outside. */
    APPLIED,
    /** A durable timer is set. */
    WAITING,
    /** A Microsoft-side action is awaiting confirmation. */
    AWAITING_EXTERNAL,
    /** Checked from outside and not seen yet: a durable timer asks again at the state's {@code waitDueAt}. */
    VERIFY_WAITING
}
