package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.UnsignedZonePolicy;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.workflow.MigrationState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The manual path's batch export: exactly the domains waiting at the registrar, their DS lines, by parent or tenant. */
class DsExportTest {

    private static MigrationState signing(String domain) {
        DomainName name = DomainName.of(domain);
        DomainHistory history = DomainHistory.of(name);
        history.add(new MigrationRequested(ProviderRef.of("powerdns-lab", domain), Fixtures.targetHostOf(name), "wave-1", List.of(),
                "inventory", false, UnsignedZonePolicy.SIGN));
        // cooperate until the DS waits for a person at the registrar (CooperativeWorld would confirm it too) or the end
        for (int i = 0; i < 200 && !WatchCommand.awaitingRegistrar(history.state()); i++) {
            var next = CooperativeWorld.successorOf(history.state());
            if (next == null) {
                break;
            }
            history.add(next);
        }
        return history.state();
    }

    @Test
    void onlyTheDomainsWaitingForADsAtTheRegistrarAreExportedWithEveryDsLine() {
        // CooperativeWorld chains "manual-*" zones by hand (they wait at the registrar) and the others by CDS (they finish)
        MigrationState manual = signing("manual-contoso.example");
        MigrationState other = signing("manual-fabrikam.test");
        MigrationState cds = signing("tailspin.example");

        List<DsExportCommand.Row> rows = DsExportCommand.rows(List.of(cds, other, manual), null, null);

        assertThat(rows).extracting(DsExportCommand.Row::domain).containsExactly("manual-contoso.example", "manual-fabrikam.test");
        DsExportCommand.Row row = rows.get(0);
        assertThat(row.parent()).isEqualTo("example");
        assertThat(row.action()).isEqualTo("add");
        assertThat(row.ds()).isEqualTo(manual.dnssec().keys().ds().get(0));
        String[] csv = row.csv().split(",");
        assertThat(csv).hasSize(DsExportCommand.HEADER.split(",").length);
        assertThat(csv[4] + " " + csv[5] + " " + csv[6] + " " + csv[7]).isEqualTo(manual.dnssec().keys().ds().get(0));

        assertThat(DsExportCommand.rows(List.of(cds, other, manual), "test.", null)).extracting(DsExportCommand.Row::domain)
                .containsExactly("manual-fabrikam.test");
        assertThat(DsExportCommand.rows(List.of(cds, other, manual), null, "no-such-tenant")).isEmpty();
        assertThat(DsExportCommand.rows(List.of(cds, other, manual), null, manual.tenant().value())).hasSize(2);
    }
}
