package dev.mxshift.model.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Derives the rollback of a plan from what was actually done: each write and each Microsoft-side action,
 * undone in reverse order. Because every forward write is a compare-and-set from a known set, undoing them
 * in reverse ends exactly on the discovered set, and no intermediate set is empty (each is a set the forward
 * plan already passed through). Undoing "enable SMTP DANE inbound" comes first, as Microsoft's rollback
 * procedure has it; waits and verifications have nothing to undo. The DNSSEC stage is undone only when asked, and
 * then in the only safe order: the DS first, a wait as long as any cache may hold it, and only then the signing.
 */
public final class RollbackPlanner {

    private RollbackPlanner() {
    }

    /**
     * The DS TTL and signature TTL assumed when the workflow never saw them: a day (what registries commonly serve, and
     * BIND's default) and an hour (the lab's and most zones' TTL), so the wait is never shorter than it must be.
     */
    public static final long ASSUMED_DS_TTL = 86_400;
    public static final long ASSUMED_SIGNATURE_TTL = 3_600;

    /** The rollback of the MX migration only: a zone mxshift signed or chained stays signed and chained. */
    public static List<PlanStep> rollbackOf(StagedPlan plan, int effectedSteps) {
        return rollbackOf(plan, effectedSteps, null, false);
    }

    /**
     * @param effectedSteps how many forward steps, from the first, had their side effect started
     * @param dnssec        the zone's DNSSEC progress (its TTLs size the wait before signing stops); may be null
     * @param unsign        undo the DNSSEC stage too: withdraw the DS, wait until no cache can hold it, then stop signing
     *                      (invariant 6, RFC 6781 section 4.3); without it, rolling back the MX leaves the zone signed
     */
    public static List<PlanStep> rollbackOf(StagedPlan plan, int effectedSteps, dev.mxshift.model.dnssec.ZoneDnssec dnssec, boolean unsign) {
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
            } else if (unsign && step instanceof PlanStep.PublishDs publish) {
                rollback.add(new PlanStep.WithdrawDs(StepPurpose.WITHDRAW_DS, publish.zone(), publish.parent(), publish.path()));
                rollback.add(new PlanStep.Wait(StepPurpose.WAIT_DS_CACHES, cacheLifetime(dnssec)));
            } else if (unsign && step instanceof PlanStep.SignZone sign) {
                rollback.add(new PlanStep.UnsignZone(StepPurpose.UNSIGN_ZONE, sign.zone()));
            }
        }
        return List.copyOf(rollback);
    }

    /** How long a resolver may still hold the DS, or signed answers that need it: the DS TTL plus the largest signature TTL. */
    static long cacheLifetime(dev.mxshift.model.dnssec.ZoneDnssec dnssec) {
        var keys = dnssec == null ? null : dnssec.keys();
        long dsTtl = keys == null || keys.dsTtl() == 0 ? ASSUMED_DS_TTL : keys.dsTtl();
        long signatureTtl = keys == null || keys.largestSignatureTtl() == 0 ? ASSUMED_SIGNATURE_TTL : keys.largestSignatureTtl();
        return dsTtl + signatureTtl;
    }
}
