package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StagedPlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What would change, for people and for scripts, before anything is written: per domain the plan with its
 * checksum (so applying can be tied to what was reviewed) and its rollback, or why it is blocked; per tenant
 * the counts. In the spirit of {@code octodns-sync} without {@code --doit}.
 */
public final class DryRunReport {

    public record Entry(TenantId tenant, DomainName domain, PlanDecision decision) {
    }

    private final List<Entry> entries;

    public DryRunReport(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** One domain, as text. */
    public static String render(DomainName domain, PlanDecision decision) {
        StringBuilder out = new StringBuilder();
        if (decision instanceof PlanDecision.Planned planned) {
            StagedPlan plan = planned.plan();
            out.append(domain.unicode().equals(domain.value()) ? domain.value() : domain.value() + " (" + domain.unicode() + ")")
                    .append(": ").append(plan.steps().size()).append(" steps to ").append(plan.targetHost())
                    .append(", plan ").append(plan.checksum()).append('\n');
            out.append("  from ").append(plan.discoveredMx()).append('\n');
            for (int i = 0; i < plan.steps().size(); i++) {
                out.append(String.format("  %2d  %s%n", i + 1, plan.steps().get(i).describe()));
            }
            out.append("  to   ").append(plan.finalMx()).append('\n');
            out.append("  rollback, from the end:\n");
            List<PlanStep> rollback = plan.rollback();
            for (int i = 0; i < rollback.size(); i++) {
                out.append(String.format("  R%d  %s%n", i + 1, rollback.get(i).describe()));
            }
        } else if (decision instanceof PlanDecision.Blocked blocked) {
            out.append(domain.value()).append(": blocked, nothing will change\n");
            for (Finding reason : blocked.reasons()) {
                out.append("  ").append(reason.code()).append(": ").append(reason.message()).append('\n');
                if (!reason.action().isEmpty()) {
                    out.append("    to do: ").append(reason.action()).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** Every domain, then a summary per tenant. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (Entry entry : entries) {
            out.append(render(entry.domain(), entry.decision())).append('\n');
        }
        out.append("Summary per tenant (planned / blocked):\n");
        summary().forEach((tenant, counts) -> out.append(String.format("  %-30s %6d / %d%n", tenant, counts[0], counts[1])));
        return out.toString();
    }

    /** The same content for scripts: one object per domain, and the per-tenant counts. */
    public Map<String, Object> json() {
        List<Map<String, Object>> domains = new ArrayList<>();
        for (Entry entry : entries) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("tenant", entry.tenant().value());
            d.put("domain", entry.domain().value());
            if (entry.decision() instanceof PlanDecision.Planned planned) {
                d.put("outcome", "planned");
                d.put("checksum", planned.plan().checksum());
                d.put("targetHost", planned.plan().targetHost().value());
                d.put("steps", planned.plan().steps().stream().map(PlanStep::describe).toList());
                d.put("rollback", planned.plan().rollback().stream().map(PlanStep::describe).toList());
            } else if (entry.decision() instanceof PlanDecision.Blocked blocked) {
                d.put("outcome", "blocked");
                d.put("reasons", blocked.reasons().stream().map(f -> Map.of("code", f.code(), "message", f.message(), "action", f.action())).toList());
            }
            domains.add(d);
        }
        Map<String, Object> tenants = new LinkedHashMap<>();
        summary().forEach((tenant, counts) -> tenants.put(tenant, Map.of("planned", counts[0], "blocked", counts[1])));
        return Map.of("domains", domains, "tenants", tenants);
    }

    private Map<String, int[]> summary() {
        Map<String, int[]> counts = new TreeMap<>();
        for (Entry entry : entries) {
            int[] c = counts.computeIfAbsent(entry.tenant().value(), t -> new int[2]);
            c[entry.decision() instanceof PlanDecision.Planned ? 0 : 1]++;
        }
        return counts;
    }
}
