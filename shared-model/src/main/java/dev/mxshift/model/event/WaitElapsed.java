package dev.mxshift.model.event;

/** The timer of a wait step fired. */
public record WaitElapsed(Direction direction, int step) implements MigrationEvent {
    public WaitElapsed {
        Checks.required(direction, "WaitElapsed", "direction");
        Checks.stepIndex(step, "WaitElapsed");
    }
}
