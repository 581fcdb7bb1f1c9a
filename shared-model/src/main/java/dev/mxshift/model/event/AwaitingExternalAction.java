package dev.mxshift.model.event;

import dev.mxshift.model.plan.ExternalAction;

/** A Microsoft-side action must be done; {@code instructions} say exactly what to run. */
public record AwaitingExternalAction(Direction direction, int step, ExternalAction action, String instructions)
        implements MigrationEvent {
    public AwaitingExternalAction {
        Checks.step(direction, step, "AwaitingExternalAction");
        Checks.required(action, "AwaitingExternalAction", "action");
        Checks.text(instructions, "AwaitingExternalAction", "instructions");
    }
}
