package dev.mxshift.model.event;

import java.time.Instant;

/** A durable timer was set for a wait step; it fires at {@code dueAt}. */
public record WaitScheduled(Direction direction, int step, Instant dueAt) implements MigrationEvent {
    public WaitScheduled {
        Checks.step(direction, step, "WaitScheduled");
        Checks.required(dueAt, "WaitScheduled", "dueAt");
    }
}
