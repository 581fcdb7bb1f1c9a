package dev.mxshift.model.event;

import java.util.List;

/** At least one preflight gate failed; nothing will be written until it is resolved and retried. */
public record PreflightBlocked(List<Finding> reasons) implements MigrationEvent {
    public PreflightBlocked {
        reasons = Checks.list(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("PreflightBlocked needs at least one reason");
        }
    }
}
