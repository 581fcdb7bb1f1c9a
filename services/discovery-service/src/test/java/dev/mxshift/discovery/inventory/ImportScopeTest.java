package dev.mxshift.discovery.inventory;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Actor;
import dev.mxshift.model.workflow.MigrationState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ImportScopeTest {

    private static final TenantId A = TenantId.of("t-a");
    private static final TenantId B = TenantId.of("t-b");

    private static TargetExportReader.TargetAssignment row(long line, TenantId tenant, String domain) {
        return new TargetExportReader.TargetAssignment("export.csv", line, tenant, DomainName.of(domain),
                DomainName.of(domain.replace('.', '-') + ".o-v1.mx.microsoft"));
    }

    @Test
    void theHosterMayImportAnything() {
        assertThat(ImportScope.hoster(Actor.cli("ops")).outOfScope(List.of("tenants.csv"), List.of(row(2, B, "victim-b.com")), Map.of()))
                .isEmpty();
    }

    @Test
    void aTenantSetsTargetsOfItsOwnDomainsOnlyAndIntroducesNothing() {
        Map<DomainName, MigrationState> states = Map.of(
                DomainName.of("own-a.com"), tenantState("own-a.com", A),
                DomainName.of("victim-b.com"), tenantState("victim-b.com", B));
        ImportScope scope = ImportScope.tenant(A, Actor.api("t-a-portal"));
        assertThat(scope.outOfScope(List.of(), List.of(row(2, A, "own-a.com")), states)).isEmpty();
        assertThat(scope.outOfScope(List.of("tenants.csv"), List.of(row(2, B, "victim-b.com"), row(3, A, "victim-b.com"),
                row(4, A, "never-imported.com"), row(5, A, "own-a.com")), states)).containsExactly(
                "tenants.csv:0: file: an inventory introduces domains, connectors and zones, which only the hoster (an all-tenants caller)"
                        + " assigns; a caller for tenant t-a imports Microsoft's targets (the export CSV) for its own domains",
                "export.csv:2: tenant: the row is for tenant t-b; this caller acts for tenant t-a only",
                "export.csv:3: domain: victim-b.com is not one of tenant t-a's domains; the hoster imports a domain before its tenant sets its target",
                "export.csv:4: domain: never-imported.com is not one of tenant t-a's domains; the hoster imports a domain before its tenant sets its target");
    }

    private static MigrationState tenantState(String domain, TenantId tenant) {
        dev.mxshift.model.testing.DomainHistory history = new dev.mxshift.model.testing.DomainHistory(DomainName.of(domain), tenant);
        history.add(dev.mxshift.model.testing.CooperativeWorld.successorOf(history.state()));
        return history.state();
    }
}
