package dev.mxshift.model.plan;

import dev.mxshift.model.dnssec.SigningMode;
import dev.mxshift.model.dnssec.ZoneSigningPlan;

import java.util.List;

/**
 * The DNSSEC stage's forward steps, which a plan runs before the MX migration when the preflight decided that the zone
 * must be signed or chained. The order is RFC 6781 section 4.3's for going signed: keys on every authoritative server,
 * checked from outside, and only then the DS at the parent (invariant 6).
 */
public final class DnssecStage {

    private DnssecStage() {
    }

    public static List<PlanStep> forward(ZoneSigningPlan signing) {
        PlanStep keys = signing.mode() == SigningMode.SIGN
                ? new PlanStep.SignZone(StepPurpose.SIGN_ZONE, signing.zone(), signing.algorithm(), signing.denial())
                : new PlanStep.VerifyZoneSigned(StepPurpose.VERIFY_ZONE_SIGNED, signing.zone());
        return List.of(keys, new PlanStep.PublishDs(StepPurpose.PUBLISH_DS, signing.zone(), signing.parent(), signing.path()));
    }
}
