package dev.mxshift.model.event;

import dev.mxshift.model.plan.StagedPlan;

/** The staged plan for the domain; its checksum ties later steps to what was reviewed. */
public record PlanGenerated(StagedPlan plan, String checksum) implements MigrationEvent {
    public PlanGenerated {
        Checks.required(plan, "PlanGenerated", "plan");
        if (checksum == null || !checksum.equals(plan.checksum())) {
            throw new IllegalArgumentException("PlanGenerated checksum " + checksum + " does not match the plan (" + plan.checksum() + ")");
        }
    }

    public static PlanGenerated of(StagedPlan plan) {
        return new PlanGenerated(plan, plan.checksum());
    }
}
