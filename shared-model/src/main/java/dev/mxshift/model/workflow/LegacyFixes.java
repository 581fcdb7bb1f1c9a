package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxHostKind;
import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.event.LegacyReference;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StepPurpose;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which of a domain's legacy references mxshift fixes itself, and how (decision 0036). One kind only: a CNAME that
 * aliases the domain's own legacy MX host (a relay or {@code smtp.} name) becomes a CNAME to the domain's mx.microsoft
 * host, keeping its TTL. That is safe to do without a person: the alias named the host that received the domain's mail,
 * the new host receives the same mail (the completed migration moved the MX to it and verified it from outside, DANE
 * included), and a CNAME-to-CNAME swap changes one RRset at one owner, so it is a compare-and-set from the record the
 * sweep saw, undone exactly by the opposite one. Every other reference is for people, with why:
 * an alias to another legacy host (whose mx.microsoft host is Microsoft's to say), a hard-coded address (it cannot be
 * proved a copy, and an alias cannot sit beside other records at its owner, RFC 1034 section 3.6.2), an SPF pin (the
 * domain's sending policy), a subdomain's MX (a domain of its own: add it to the inventory), a DNAME or SRV.
 * A reference found again at an owner whose fix was applied (someone pointed it back) is for people too.
 * Pure: the same state gives the same plan, with the same checksum, so the workflow can check an approval against it.
 */
public final class LegacyFixes {

    /** Why a reference found again at an owner whose fix was applied is not fixed a second time (decision 0040). */
    static final String POINTED_BACK = "pointed back at the legacy host after its fix (plan step %d) was applied: needs a person;"
            + " find out who changed it back and why before changing it again, since mxshift fixes an owner once";

    private LegacyFixes() {
    }

    public static FixPlan planFor(MigrationState state) {
        DomainName target = state.targetHost();
        Set<String> ownLegacy = state.discoveredMx() == null ? Set.of() : state.discoveredMx().hosts().stream()
                .filter(h -> MxHostKind.of(h) == MxHostKind.LEGACY_EXCHANGE_ONLINE).map(DomainName::value).collect(Collectors.toSet());
        Map<String, Integer> planned = new HashMap<>();
        List<PlanStep> planSteps = state.plan() == null ? List.of() : state.plan().steps();
        for (int i = 0; i < planSteps.size(); i++) {
            if (planSteps.get(i) instanceof PlanStep.ChangeRecordSet c && c.purpose() == StepPurpose.FIX_LEGACY_REFERENCE) {
                planned.put(c.expectedBefore().owner() + " " + c.expectedBefore().type(), i);
            }
        }
        String zone = state.provider() == null ? null : state.provider().zone().value();
        List<PlanStep> steps = new ArrayList<>();
        List<FixPlan.ForPeople> people = new ArrayList<>();
        for (LegacyReference ref : state.legacyReferences()) {
            Integer fixStep = planned.get(ref.owner() + " " + ref.type());
            if (fixStep != null && fixStep < state.forwardEffects()) {
                // the fold dropped the reference when its fix was applied: a sweep since found it again
                people.add(new FixPlan.ForPeople(ref, POINTED_BACK.formatted(fixStep + 1)));
                continue;
            }
            if (fixStep != null) {
                continue; // approved, not applied yet
            }
            String why = whyNotAutomatic(ref, ownLegacy, target, zone, state.domain());
            if (why != null) {
                people.add(new FixPlan.ForPeople(ref, why));
                continue;
            }
            RecordSet swept = new RecordSet(ref.owner(), ref.type(), ref.ttl(), List.of(ref.rdata()));
            steps.add(new PlanStep.ChangeRecordSet(StepPurpose.FIX_LEGACY_REFERENCE, swept,
                    new RecordSet(ref.owner(), ref.type(), ref.ttl(), List.of(target.value() + "."))));
        }
        String notYet = state.status() == WorkflowStatus.COMPLETED && state.plan() != null ? null
                : "fixes run after the MX migration completed; " + state.domain() + " is " + state.status();
        return new FixPlan(state.domain(), target, steps, people, notYet);
    }

    private static String whyNotAutomatic(LegacyReference ref, Set<String> ownLegacy, DomainName target, String zone, DomainName domain) {
        switch (ref.kind()) {
            case "ALIAS" -> {
                String aliased = ref.rdata().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
                if (!ref.type().equals("CNAME")) {
                    return "only a CNAME is changed automatically";
                }
                if (!ownLegacy.contains(aliased)) {
                    return "it aliases " + aliased + ", not " + domain + "'s own legacy host; which mx.microsoft host replaces it is"
                            + " Microsoft's to say (Enable-DnssecForVerifiedDomain for the domain it belongs to)";
                }
                if (target == null) {
                    return "Microsoft has not assigned " + domain + " its mx.microsoft host yet";
                }
                if (!ref.zone().equals(zone) || !(ref.owner().equals(domain.value()) || ref.owner().endsWith("." + domain.value()))) {
                    return "it is in zone " + ref.zone() + ", which the domain's connector does not write";
                }
                return null;
            }
            case "HARD_CODED_ADDRESS" -> {
                return "an address cannot be proved a copy of the legacy host's, and the alias that should replace it cannot sit beside"
                        + " other records at its owner (RFC 1034 section 3.6.2); change it by hand";
            }
            case "SPF_ADDRESS_PIN", "SPF_HOST_PIN" -> {
                return "an SPF record is the domain's sending policy; a person decides what it says";
            }
            case "OTHER_MX" -> {
                return "a subdomain's MX is a domain of its own to Exchange Online: add it to the inventory so it moves with the same checks";
            }
            default -> {
                return "a " + ref.type() + " record is not changed automatically; its new target is not one mxshift can name";
            }
        }
    }
}
