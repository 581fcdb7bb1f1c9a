package dev.mxshift.model.event;

import java.time.Instant;

/** A durable timer was set for a wait step; it fires at {@code dueAt}. */
public record WaitScheduled(Direction direction, int step, Instant dueAt) implements MigrationEvent {
    public WaitScheduled {
        Checks.required(direction, "WaitScheduled", "direction");
        Checks.stepIndex(step, "WaitScheduled");
        Checks.required(dueAt, "WaitScheduled", "dueAt");
    }
}
