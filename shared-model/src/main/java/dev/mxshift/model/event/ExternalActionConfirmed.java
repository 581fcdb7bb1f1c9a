package dev.mxshift.model.event;

import dev.mxshift.model.plan.ExternalAction;

/** An operator or a connector confirmed the Microsoft-side action. */
public record ExternalActionConfirmed(Direction direction, int step, ExternalAction action, String confirmedBy)
        implements MigrationEvent {
    public ExternalActionConfirmed {
        Checks.step(direction, step, "ExternalActionConfirmed");
        Checks.required(action, "ExternalActionConfirmed", "action");
        Checks.text(confirmedBy, "ExternalActionConfirmed", "confirmedBy");
    }
}
