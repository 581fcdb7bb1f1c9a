package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.LegacyReference;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StagedPlan;
import dev.mxshift.model.plan.StepPurpose;

import java.util.ArrayList;
import java.util.List;

/**
 * What mxshift would do about a domain's legacy references after its MX moved (issue 29 item 3, decision 0036): the
 * compare-and-set steps of the fixes it can make safely, each from the record the sweep saw to its fix, and the references
 * left to people, each with why. An operator approves it by {@link #checksum()}; the approved steps run after the MX
 * plan's, through the same engine, and a rollback of the domain undoes them first. Made by {@link LegacyFixes#planFor}.
 *
 * @param notYet why the steps cannot be approved now (the migration has not completed); null when they can
 */
public record FixPlan(DomainName domain, DomainName targetHost, List<PlanStep> steps, List<ForPeople> forPeople, String notYet) {

    /** A reference mxshift does not change, with why: the record to change and the sweep's fix are in the reference. */
    public record ForPeople(LegacyReference reference, String whyNotAutomatic) {
    }

    public FixPlan {
        steps = List.copyOf(steps);
        forPeople = List.copyOf(forPeople);
    }

    /** Whether there is anything an operator could approve now. */
    public boolean approvable() {
        return notYet == null && !steps.isEmpty();
    }

    /** How each step is undone, in the order a rollback runs them: the swept record back, exactly. */
    public List<PlanStep> rollback() {
        List<PlanStep> undo = new ArrayList<>();
        for (int i = steps.size() - 1; i >= 0; i--) {
            PlanStep.ChangeRecordSet step = (PlanStep.ChangeRecordSet) steps.get(i);
            undo.add(new PlanStep.ChangeRecordSet(StepPurpose.ROLLBACK, step.target(), step.expectedBefore()));
        }
        return List.copyOf(undo);
    }

    /** SHA-256 over the fix plan's canonical text, as a plan's: what the operator approves is what runs. */
    public String checksum() {
        StringBuilder text = new StringBuilder();
        text.append("fixes ").append(domain).append('\n');
        text.append("target ").append(targetHost).append('\n');
        for (int i = 0; i < steps.size(); i++) {
            text.append(i + 1).append(' ').append(steps.get(i).describe()).append('\n');
        }
        return StagedPlan.sha256(text.toString());
    }
}
