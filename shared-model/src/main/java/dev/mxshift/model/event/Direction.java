package dev.mxshift.model.event;

/** Whether a step belongs to the forward plan or to the rollback. */
public enum Direction {
    FORWARD,
    ROLLBACK
}
