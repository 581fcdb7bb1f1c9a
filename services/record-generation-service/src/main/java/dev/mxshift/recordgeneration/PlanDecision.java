package dev.mxshift.recordgeneration;

import dev.mxshift.model.event.Finding;
import dev.mxshift.model.plan.StagedPlan;

import java.util.List;

/** What the planner decided for one domain: a plan, or why there is none and what to do about it. */
public sealed interface PlanDecision {

    record Planned(StagedPlan plan) implements PlanDecision {
    }

    record Blocked(List<Finding> reasons) implements PlanDecision {
        public Blocked {
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a blocked decision needs a reason");
            }
        }
    }
}
