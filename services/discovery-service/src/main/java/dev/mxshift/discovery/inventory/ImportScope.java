package dev.mxshift.discovery.inventory;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Actor;
import dev.mxshift.model.workflow.MigrationState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who imports, and so what an import may hold (decision 0021). The hoster (every tenant: the command line, which
 * reaches the event log with the hoster's Kafka credentials, or an all-tenants API token) introduces domains and binds
 * each to its tenant, connector and zone. A tenant-scoped caller adds only what the hoster left to the tenant:
 * Microsoft's new MX host (the export CSV of Enable-DnssecForVerifiedDomain) for domains the hoster assigned to it.
 *
 * @param tenant null for the hoster; otherwise the one tenant the caller acts for
 * @param actor  who asks, recorded on every event the import writes
 */
public record ImportScope(TenantId tenant, Actor actor) {

    public ImportScope {
        if (actor == null) {
            throw new IllegalArgumentException("an import names who asks for it");
        }
    }

    public static ImportScope hoster(Actor actor) {
        return new ImportScope(null, actor);
    }

    public static ImportScope tenant(TenantId tenant, Actor actor) {
        if (tenant == null) {
            throw new IllegalArgumentException("a tenant scope names its tenant");
        }
        return new ImportScope(tenant, actor);
    }

    public boolean allTenants() {
        return tenant == null;
    }

    /**
     * Why a tenant-scoped import must be refused whole, one FILE:LINE: FIELD: REASON each (empty: it may go ahead).
     * A domain of another tenant and a domain not imported get the same answer, so a refusal tells nothing of other
     * tenants' domains.
     *
     * @param inventories the inventory files among the import's files (they introduce domains: the hoster's alone)
     * @param assignments the export rows, each with the tenant its file names
     * @param states      the event log's state of each assignment's domain (absent: not imported)
     */
    public List<String> outOfScope(List<String> inventories, List<TargetExportReader.TargetAssignment> assignments,
                                   Map<DomainName, MigrationState> states) {
        List<String> problems = new ArrayList<>();
        if (allTenants()) {
            return problems;
        }
        for (String file : inventories) {
            problems.add(new InventoryProblem(file, 0, "file", "an inventory introduces domains, connectors and zones, which only the hoster"
                    + " (an all-tenants caller) assigns; a caller for tenant " + tenant + " imports Microsoft's targets (the export CSV)"
                    + " for its own domains").toString());
        }
        for (TargetExportReader.TargetAssignment a : assignments) {
            MigrationState state = states.get(a.domain());
            if (!tenant.equals(a.tenant())) {
                problems.add(new InventoryProblem(a.file(), a.line(), "tenant", "the row is for tenant " + a.tenant()
                        + "; this caller acts for tenant " + tenant + " only").toString());
            } else if (state == null || !tenant.equals(state.tenant())) {
                problems.add(new InventoryProblem(a.file(), a.line(), "domain", a.domain() + " is not one of tenant " + tenant
                        + "'s domains; the hoster imports a domain before its tenant sets its target").toString());
            }
        }
        return problems;
    }
}
