package dev.mxshift.model.event;

import java.util.List;

/** Every preflight gate passed; warnings are reported but do not block. */
public record PreflightPassed(List<Finding> warnings) implements MigrationEvent {
    public PreflightPassed {
        warnings = Checks.list(warnings);
    }
}
