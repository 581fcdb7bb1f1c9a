package dev.mxshift.model.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Derives the rollback of a plan from what was actually done: each write and each Microsoft-side action,
 * undone in reverse order. Because every forward write is a compare-and-set from a known set, undoing them
 * in reverse ends exactly on the discovered set, and no intermediate set is empty (each is a set the forward
 * plan already passed through). Undoing "enable SMTP DANE inbound" comes first, as Microsoft's rollback
 * procedure has it; waits and verifications have nothing to undo.
 */
public final class RollbackPlanner {

    private RollbackPlanner() {
    }

    /** @param effectedSteps how many forward steps, from the first, had their side effect started */
    public static List<PlanStep> rollbackOf(StagedPlan plan, int effectedSteps) {
        if (effectedSteps < 0 || effectedSteps > plan.steps().size()) {
            throw new IllegalArgumentException("effected steps " + effectedSteps + " outside 0.." + plan.steps().size());
        }
        List<PlanStep> rollback = new ArrayList<>();
        for (int i = effectedSteps - 1; i >= 0; i--) {
            PlanStep step = plan.steps().get(i);
            if (step instanceof PlanStep.ChangeMx change) {
                rollback.add(new PlanStep.ChangeMx(StepPurpose.ROLLBACK, change.target(), change.expectedBefore()));
            } else if (step instanceof PlanStep.ChangeRecordSet change) {
                rollback.add(new PlanStep.ChangeRecordSet(StepPurpose.ROLLBACK, change.target(), change.expectedBefore()));
            } else if (step instanceof PlanStep.External external) {
                rollback.add(new PlanStep.External(StepPurpose.ROLLBACK, external.action().inverse(),
                        external.rollbackDetail(), external.detail()));
            }
        }
        return List.copyOf(rollback);
    }
}
