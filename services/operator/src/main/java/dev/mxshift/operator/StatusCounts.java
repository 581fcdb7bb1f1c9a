package dev.mxshift.operator;

import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** Domains counted per workflow status, in all and per tenant: what {@code status}, the API's status and {@code watch} show. */
record StatusCounts(Map<WorkflowStatus, Integer> byStatus, Map<String, Map<WorkflowStatus, Integer>> byTenant) {

    /** A domain without a tenant (an event log of an older build) is counted under "?". */
    static StatusCounts of(Iterable<MigrationState> states) {
        Map<WorkflowStatus, Integer> byStatus = new EnumMap<>(WorkflowStatus.class);
        Map<String, Map<WorkflowStatus, Integer>> byTenant = new TreeMap<>();
        for (MigrationState s : states) {
            byStatus.merge(s.status(), 1, Integer::sum);
            byTenant.computeIfAbsent(s.tenant() == null ? "?" : s.tenant().value(), t -> new EnumMap<>(WorkflowStatus.class))
                    .merge(s.status(), 1, Integer::sum);
        }
        return new StatusCounts(byStatus, byTenant);
    }
}
