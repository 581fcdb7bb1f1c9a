package dev.mxshift.model.plan;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.MxHostKind;
import dev.mxshift.model.dns.MxRecordSet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The ordered steps that move one domain from its discovered MX set to the new target, each a
 * compare-and-set. Constructing a plan checks the mail-flow invariants over the whole sequence, so an
 * unsafe plan cannot exist as a value.
 */
public record StagedPlan(DomainName domain, DomainName targetHost, MxRecordSet discoveredMx, List<PlanStep> steps) {

    public StagedPlan {
        if (domain == null || targetHost == null || discoveredMx == null || steps == null) {
            throw new InvalidValueException("plan", null, "domain, target host, discovered MX set and steps are all required");
        }
        if (MxHostKind.of(targetHost) != MxHostKind.DANE_EXCHANGE_ONLINE) {
            throw new InvalidValueException("plan target host", targetHost.value(),
                    "is not an mx.microsoft host; the target comes from Microsoft (DnssecMxValue), never from the domain name");
        }
        if (!discoveredMx.owner().equals(domain)) {
            throw new InvalidValueException("plan discovered MX", discoveredMx.owner().value(), "belongs to another domain than " + domain);
        }
        if (discoveredMx.isEmpty()) {
            throw new InvalidValueException("plan discovered MX", domain.value(),
                    "is empty; a plan starts from the MX set the domain has, and a domain without MX has nothing to move");
        }
        if (steps.isEmpty()) {
            throw new InvalidValueException("plan", domain.value(), "has no steps");
        }
        steps = List.copyOf(steps);
        checkInvariants(domain, targetHost, discoveredMx, steps);
    }

    /**
     * Walks the plan as it would run. Every writing step is verified before the next one starts, so once
     * a step that adds the target host has run (and while later steps keep it), the target host has been
     * verified from outside. A set without a legacy MX must hold that verified target host.
     */
    private static void checkInvariants(DomainName domain, DomainName targetHost, MxRecordSet discoveredMx, List<PlanStep> steps) {
        MxRecordSet live = discoveredMx;
        boolean targetVerified = false;
        boolean mxChanged = false;
        java.util.Set<DomainName> signedZones = new java.util.HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            PlanStep step = steps.get(i);
            if (step instanceof PlanStep.SignZone sign) {
                signedZones.add(sign.zone());
            } else if (step instanceof PlanStep.VerifyZoneSigned verify) {
                signedZones.add(verify.zone());
            } else if (step instanceof PlanStep.PublishDs publish) {
                if (!signedZones.contains(publish.zone())) {
                    throw new InvalidValueException("plan step " + (i + 1), step.describe(),
                            "publishes a DS before the zone's keys are signed and verified from outside (invariant 6)");
                }
                if (mxChanged) {
                    throw new InvalidValueException("plan step " + (i + 1), step.describe(),
                            "chains the zone after the MX changed; the DNSSEC stage comes before the MX migration");
                }
            } else if (step instanceof PlanStep.WithdrawDs || step instanceof PlanStep.UnsignZone) {
                throw new InvalidValueException("plan step " + (i + 1), step.describe(),
                        "undoes the DNSSEC stage; that belongs to a rollback, never to a forward plan");
            }
            if (step instanceof PlanStep.ChangeMx change) {
                mxChanged = true;
                if (!change.expectedBefore().equals(live)) {
                    throw new InvalidValueException("plan step " + (i + 1), change.describe(),
                            "expects " + change.expectedBefore() + " but the plan has " + live + " at that point");
                }
                boolean targetKept = change.target().hosts().contains(targetHost);
                if (!change.target().hasLegacyHost() && !(targetVerified && targetKept)) {
                    throw new InvalidValueException("plan step " + (i + 1), change.describe(),
                            "leaves the domain without the legacy MX before the new MX " + targetHost
                                    + " is in place and verified (invariant 2)");
                }
                live = change.target();
                targetVerified = targetKept;
            }
        }
    }

    /** The MX set the domain has once every step has run. */
    public MxRecordSet finalMx() {
        return liveMxAfter(steps.size());
    }

    /** The MX set the domain has once the first {@code count} steps have run. */
    public MxRecordSet liveMxAfter(int count) {
        MxRecordSet live = discoveredMx;
        for (PlanStep step : steps.subList(0, count)) {
            if (step instanceof PlanStep.ChangeMx change) {
                live = change.target();
            }
        }
        return live;
    }

    /** The rollback of the whole plan: it restores {@link #discoveredMx()} exactly (invariant 4). */
    public List<PlanStep> rollback() {
        return RollbackPlanner.rollbackOf(this, steps.size());
    }

    /** SHA-256 over the plan's canonical text, so an applied plan can be tied to the one a person reviewed. */
    public String checksum() {
        StringBuilder text = new StringBuilder();
        text.append("domain ").append(domain).append('\n');
        text.append("target ").append(targetHost).append('\n');
        text.append("discovered ").append(discoveredMx).append('\n');
        for (int i = 0; i < steps.size(); i++) {
            text.append(i + 1).append(' ').append(steps.get(i).describe()).append('\n');
        }
        return sha256(text.toString());
    }

    /** The hex SHA-256 of {@code text} in UTF-8: the checksums people approve (plans, fix plans). */
    public static String sha256(String text) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The same plan with {@code more} steps after its own (the approved fixes, decision 0036); the invariants are checked again. */
    public StagedPlan extendedBy(List<PlanStep> more) {
        List<PlanStep> all = new java.util.ArrayList<>(steps);
        all.addAll(more);
        return new StagedPlan(domain, targetHost, discoveredMx, all);
    }
}
