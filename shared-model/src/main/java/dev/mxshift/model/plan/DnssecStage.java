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

    /**
     * How long a resolver may hold a negative answer for the zone's DNSKEY: an hour, the common SOA minimum and the
     * default ceiling of Unbound's negative cache ({@code cache-max-negative-ttl}).
     */
    public static final long NEGATIVE_CACHE_SECONDS = 3_600;

    private DnssecStage() {
    }

    public static List<PlanStep> forward(ZoneSigningPlan signing) {
        PlanStep keys = signing.mode() == SigningMode.SIGN
                ? new PlanStep.SignZone(StepPurpose.SIGN_ZONE, signing.zone(), signing.algorithm(), signing.denial())
                : new PlanStep.VerifyZoneSigned(StepPurpose.VERIFY_ZONE_SIGNED, signing.zone());
        // A resolver that asked for the zone's DNSKEY before it was signed holds that "no DNSKEY" for the zone's negative TTL
        // (RFC 2308); a DS published meanwhile would make the zone bogus for it. So the keys must have been served for that
        // long before the DS goes to the parent (RFC 7583 section 3.3.1, the DNSKEY's propagation before the DS).
        return List.of(keys, new PlanStep.Wait(StepPurpose.WAIT_KEY_CACHES, NEGATIVE_CACHE_SECONDS),
                new PlanStep.PublishDs(StepPurpose.PUBLISH_DS, signing.zone(), signing.parent(), signing.path()));
    }
}
