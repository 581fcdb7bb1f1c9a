package dev.mxshift.model.event;

/** The timer of a wait step fired. */
public record WaitElapsed(Direction direction, int step) implements MigrationEvent {
    public WaitElapsed {
        Checks.step(direction, step, "WaitElapsed");
    }
}
