package dev.mxshift.model.event;

import dev.mxshift.model.plan.PlanStep;

import java.util.List;

/**
 * An operator approved the fix plan of a migrated domain by its checksum (issue 29 item 3, decision 0036): its steps run
 * after the MX plan's, through the same engine, each a compare-and-set verified from outside; a rollback undoes them
 * first. The workflow accepts it only while the domain's fix plan, derived from its state, is exactly these steps with
 * this checksum, so an approval of what someone reviewed earlier never runs on findings or a plan that changed since.
 */
public record FixesApproved(List<PlanStep> steps, String checksum) implements MigrationEvent {
    public FixesApproved {
        steps = Checks.list(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("FixesApproved needs at least one step");
        }
        if (checksum == null || !checksum.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("FixesApproved checksum " + checksum + " is not 64 hex digits");
        }
    }
}
