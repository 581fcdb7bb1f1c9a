package dev.mxshift.operator.console;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.Paused;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's groups: stopped domains by reason code, the others by what they wait for, each with its one action. */
class ReasonGroupsTest {

    private static DomainHistory requested(String name, boolean hold) {
        DomainName d = DomainName.of(name);
        DomainHistory h = new DomainHistory(d, TenantId.of("t-a"));
        h.add(new MigrationRequested(ProviderRef.of("powerdns-lab", name), Fixtures.targetHostOf(d), "w1", List.of(), "inventory", hold));
        return h;
    }

    private static MigrationState blocked(String name, String code, String action) {
        DomainHistory h = requested(name, false);
        h.add(CooperativeWorld.successorOf(h.state()));
        h.add(new PreflightBlocked(List.of(new Finding(code, "why " + code, action))));
        return h.state();
    }

    private static MigrationState awaitingConfirmation(String name) {
        DomainHistory h = requested(name, false);
        while (!(Workflow.next(h.state()) instanceof NextAction.AwaitExternalConfirmation)) {
            h.add(CooperativeWorld.successorOf(h.state()));
        }
        return h.state();
    }

    @Test
    void stoppedDomainsGroupByTheirReasonCodeWithTheFindingsActionAndTheLargestGroupFirst() {
        List<ReasonGroups.Group> groups = ReasonGroups.of(List.of(
                blocked("b.example", "ZONE_INSECURE", "sign the zone"), blocked("a.example", "ZONE_INSECURE", "sign the zone"),
                blocked("c.example", "TARGET_UNKNOWN", "import Microsoft's export"), requested("held.example", true).state(),
                requested("moving.example", false).state()));
        assertThat(groups).extracting(ReasonGroups.Group::reason).containsExactly("ZONE_INSECURE", "ON_HOLD", "TARGET_UNKNOWN");
        assertThat(groups.get(0).count()).isEqualTo(2);
        assertThat(groups.get(0).domains()).containsExactly("a.example", "b.example");
        assertThat(groups.get(0).next().action()).isEqualTo("replay");
        assertThat(groups.get(0).next().todo()).as("the one table's fix for the code, with the console's button")
                .startsWith("sign the zones (enable DNSSEC").endsWith(", then replay");
        assertThat(ReasonGroups.nextStep(blocked("bogus.example", "ZONE_BOGUS", "repair the zone's signing")).todo())
                .as("a code the table has no fix for: its finding's own action").isEqualTo("repair the zone's signing, then replay");
        assertThat(groups.get(1).next().action()).isEqualTo("start");
        assertThat(groups.get(2).next().todo()).as("the command line's fix for the code, with the console's button")
                .startsWith("run Enable-DnssecForVerifiedDomain for them").endsWith("import the CSV it exports, then replay");
        assertThat(ReasonGroups.nextStep(blocked("gateway.example", "NOT_ELIGIBLE", "report only")))
                .as("a domain mxshift leaves alone has no action").isEqualTo(
                        new ReasonGroups.NextStep(null, "none: mxshift does not change these domains (report only)"));
    }

    @Test
    void aDomainWaitingForMicrosoftsActionIsConfirmedAndAPausedOneResumed() {
        MigrationState awaiting = awaitingConfirmation("await.example");
        assertThat(ReasonGroups.reasonCode(awaiting)).isNull();
        assertThat(ReasonGroups.waitingFor(awaiting)).startsWith("AWAITING_");
        assertThat(ReasonGroups.nextStep(awaiting).action()).isEqualTo("confirm");
        assertThat(ReasonGroups.nextStep(awaiting).todo()).contains("await.example").endsWith("then confirm");

        DomainHistory paused = requested("paused.example", false);
        paused.add(new Paused("ops", "change freeze"));
        assertThat(ReasonGroups.waitingFor(paused.state())).isEqualTo("PAUSED");
        assertThat(ReasonGroups.nextStep(paused.state()).action()).isEqualTo("resume");
        assertThat(ReasonGroups.nextStep(requested("moving.example", false).state())).isNull();
    }
}
