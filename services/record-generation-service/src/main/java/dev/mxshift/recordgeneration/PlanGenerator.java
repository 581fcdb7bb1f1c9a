package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxHostKind;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.MtaStsPolicy;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MtaStsSnapshot;
import dev.mxshift.model.plan.ExternalAction;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StagedPlan;
import dev.mxshift.model.plan.StepPurpose;
import dev.mxshift.model.workflow.MigrationState;

import java.util.ArrayList;
import java.util.List;

/**
 * The record-generation service's decision: the staged plan for one domain, in the order of Microsoft's
 * documented procedure (mail-facts.md, "Microsoft's documented procedure, per domain"):
 * <ol>
 *   <li>where the preflight decided the zone must be signed or chained (the {@code sign} policy), the DNSSEC stage: sign
 *       (or verify a zone its provider signed), then publish the DS at the parent;</li>
 *   <li>where an MTA-STS policy in testing or enforce mode does not cover the new host (RFC 8461 section 4.1: a
 *       wildcard covers one label), publish a policy that lists the old patterns and the exact new host, then
 *       change the {@code _mta-sts} id so senders fetch it; both before the new MX is added;</li>
 *   <li>lower the MX TTL and wait out the old one;</li>
 *   <li>(Enable-DnssecForVerifiedDomain happened before: it gave the target host);</li>
 *   <li>add the new MX at preference 20 beside the legacy one, and verify it;</li>
 *   <li>new MX to preference 0, legacy to 30, and verify;</li>
 *   <li>remove every legacy MX, and verify;</li>
 *   <li>restore the TTL (the original, or the configured one);</li>
 *   <li>Enable-SmtpDaneInbound, confirmed by a person or a connector; then verify DANE on the new host.</li>
 * </ol>
 * Pure: the same state and options always give the same plan, with the same checksum.
 */
public final class PlanGenerator {

    private PlanGenerator() {
    }

    public static PlanDecision decide(MigrationState state, PlanOptions options) {
        List<Finding> blocked = new ArrayList<>();
        MxRecordSet discovered = state.discoveredMx();
        DomainName target = state.targetHost();
        if (state.classification() == null || !state.classification().eligible()) {
            blocked.add(new Finding("NOT_ELIGIBLE", "discovery classified " + state.domain() + " as " + state.classification()
                    + "; only a single MX at Exchange Online's legacy target is migrated", "report only: mxshift does not change this domain"));
        } else if (discovered == null || discovered.records().size() != 1) {
            blocked.add(new Finding("NOT_A_SINGLE_MX", "the MX set " + discovered + " is not a single record",
                    "Microsoft's procedure needs a single legacy MX without fallback; remove the others first"));
        } else {
            MxRecord legacy = discovered.records().get(0);
            if (legacy.kind() != MxHostKind.LEGACY_EXCHANGE_ONLINE) {
                blocked.add(new Finding("NOT_LEGACY_EXCHANGE_ONLINE", "the MX host " + legacy.exchange() + " is not an Exchange Online legacy host",
                        "report only"));
            } else if (legacy.preference() != 0 && legacy.preference() != 10) {
                blocked.add(new Finding("LEGACY_PREFERENCE", "the legacy MX has preference " + legacy.preference(),
                        "Microsoft's procedure expects preference 0 or 10; set it to 0 or 10 and retry"));
            }
        }
        if (target == null) {
            blocked.add(new Finding("TARGET_UNKNOWN", "Microsoft has not assigned " + state.domain() + " its mx.microsoft host yet",
                    "run Enable-DnssecForVerifiedDomain -DomainName " + state.domain().unicode()
                            + " and import its DnssecMxValue with the inventory (the target is never derived from the domain name)"));
        } else if (MxHostKind.of(target) != MxHostKind.DANE_EXCHANGE_ONLINE) {
            blocked.add(new Finding("TARGET_NOT_MX_MICROSOFT", "the target " + target + " is not an mx.microsoft host",
                    "use the DnssecMxValue that Enable-DnssecForVerifiedDomain returned"));
        }
        if (!blocked.isEmpty()) {
            return new PlanDecision.Blocked(blocked);
        }
        StagedPlan plan = plan(state.signing(), state.mtaSts(), discovered, target, options);
        if (options.reviewedChecksums() != null && !options.reviewedChecksums().contains(plan.checksum())) {
            return new PlanDecision.Blocked(List.of(new Finding("PLAN_NOT_REVIEWED",
                    "the plan for " + state.domain() + " has checksum " + plan.checksum() + ", which no one approved",
                    "review it in the dry-run report and add its checksum to the approved list; a changed domain gets a new checksum")));
        }
        return new PlanDecision.Planned(plan);
    }

    private static StagedPlan plan(dev.mxshift.model.dnssec.ZoneSigningPlan signing, MtaStsSnapshot mtaSts, MxRecordSet discovered,
                                   DomainName target, PlanOptions options) {
        List<PlanStep> steps = new ArrayList<>();
        if (signing != null) {
            // The zone is signed and chained first, so the MX moves into a secure zone (issue 28, invariant 6's order).
            steps.addAll(dev.mxshift.model.plan.DnssecStage.forward(signing));
        }
        if (mtaSts != null && mtaSts.policy() != null && mtaSts.policy().mode() != MtaStsPolicy.Mode.NONE
                && !mtaSts.policy().covers(target)) {
            // Senders enforcing the old policy would refuse the new host: allow it first (mail-facts.md, MTA-STS).
            MtaStsPolicy updated = mtaSts.policy().allowing(target);
            String where = "serve at https://mta-sts." + discovered.owner() + "/.well-known/mta-sts.txt:\r\n";
            steps.add(new PlanStep.External(StepPurpose.UPDATE_MTA_STS_POLICY, ExternalAction.PUBLISH_MTA_STS_POLICY,
                    where + updated.text(), where + mtaSts.policy().text()));
            steps.add(new PlanStep.ChangeRecordSet(StepPurpose.UPDATE_MTA_STS_POLICY, mtaSts.txt(),
                    mtaSts.txtWithId(policyId(updated))));
        }
        MxRecord legacy = discovered.records().get(0);
        long low = Math.min(options.loweredTtl(), discovered.ttl());
        MxRecordSet live = discovered;
        if (discovered.ttl() > low) {
            live = change(steps, StepPurpose.LOWER_MX_TTL, live, discovered.withTtl(low));
            // Resolvers may hold the old answer for the old TTL.
            steps.add(new PlanStep.Wait(StepPurpose.WAIT_OLD_TTL, discovered.ttl()));
        }
        live = change(steps, StepPurpose.ADD_NEW_MX, live, live.withRecords(List.of(legacy, new MxRecord(20, target))));
        live = change(steps, StepPurpose.PROMOTE_NEW_MX, live,
                live.withRecords(List.of(new MxRecord(0, target), new MxRecord(30, legacy.exchange()))));
        live = change(steps, StepPurpose.REMOVE_LEGACY_MX, live, live.withRecords(List.of(new MxRecord(0, target))));
        long restored = options.restoredTtl() != null ? options.restoredTtl() : discovered.ttl();
        if (restored != live.ttl()) {
            change(steps, StepPurpose.RESTORE_MX_TTL, live, live.withTtl(restored));
        }
        steps.add(new PlanStep.External(StepPurpose.ENABLE_SMTP_DANE_INBOUND, ExternalAction.ENABLE_SMTP_DANE_INBOUND));
        steps.add(new PlanStep.VerifyDane(StepPurpose.VERIFY_DANE, target));
        return new StagedPlan(discovered.owner(), target, discovered, steps);
    }

    /** A new id derived from the policy text, so the same plan always gets the same id (RFC 8461 section 3.1). */
    static String policyId(MtaStsPolicy policy) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(policy.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "mxshift" + java.util.HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static MxRecordSet change(List<PlanStep> steps, StepPurpose purpose, MxRecordSet before, MxRecordSet after) {
        steps.add(new PlanStep.ChangeMx(purpose, before, after));
        return after;
    }
}
