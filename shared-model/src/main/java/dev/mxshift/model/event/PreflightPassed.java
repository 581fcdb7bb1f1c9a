package dev.mxshift.model.event;

import java.util.List;

/**
 * Every preflight gate passed; warnings are reported but do not block. {@code signing} (schema v5) is set when the zone
 * is not yet secure and its policy is {@code sign}: the DNSSEC stage the plan must run first (sign or chain, at which
 * parent, by which path); null when the zone is secure, or moves insecure.
 */
public record PreflightPassed(List<Finding> warnings, dev.mxshift.model.dnssec.ZoneSigningPlan signing) implements MigrationEvent {
    public PreflightPassed {
        warnings = Checks.list(warnings);
    }

    public PreflightPassed(List<Finding> warnings) {
        this(warnings, null);
    }
}
