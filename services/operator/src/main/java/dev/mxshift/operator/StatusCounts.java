package dev.mxshift.operator;

import dev.mxshift.model.workflow.DnssecPhase;
import dev.mxshift.model.workflow.DnssecProgress;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Domains counted per workflow status, in all and per tenant, and per phase of the DNSSEC stage (by its word, the
 * domains without a stage left out): what {@code status}, the API's status and {@code watch} show.
 */
record StatusCounts(Map<WorkflowStatus, Integer> byStatus, Map<String, Map<WorkflowStatus, Integer>> byTenant,
                    Map<String, Integer> byDnssec) {

    /** A domain without a tenant (an event log of an older build) is counted under "?". */
    static StatusCounts of(Iterable<MigrationState> states) {
        Map<WorkflowStatus, Integer> byStatus = new EnumMap<>(WorkflowStatus.class);
        Map<String, Map<WorkflowStatus, Integer>> byTenant = new TreeMap<>();
        Map<DnssecPhase, Integer> byPhase = new EnumMap<>(DnssecPhase.class);
        for (MigrationState s : states) {
            DnssecPhase phase = DnssecProgress.of(s).phase();
            if (phase != DnssecPhase.NONE) {
                byPhase.merge(phase, 1, Integer::sum);
            }
            byStatus.merge(s.status(), 1, Integer::sum);
            byTenant.computeIfAbsent(s.tenant() == null ? "?" : s.tenant().value(), t -> new EnumMap<>(WorkflowStatus.class))
                    .merge(s.status(), 1, Integer::sum);
        }
        Map<String, Integer> byDnssec = new LinkedHashMap<>();
        byPhase.forEach((phase, n) -> byDnssec.put(phase.word(), n));
        return new StatusCounts(byStatus, byTenant, byDnssec);
    }
}
