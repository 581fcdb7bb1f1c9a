package dev.mxshift.model.workflow;

/**
 * An event that the workflow does not accept in the state it meets. Never swallowed: a live service
 * dead-letters the event with {@link #violation()} as the reason; a replay that meets one has a corrupt log.
 */
public class IllegalTransitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Violation violation;

    public IllegalTransitionException(Violation violation, String detail) {
        super(violation + ": " + detail);
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }
}
