package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.serde.EventDecodingException;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GateHoldTest {

    private static final DomainName DOMAIN = DomainName.of("contoso.example");

    private static DomainHistory ready() {
        DomainHistory history = new DomainHistory(DOMAIN, TenantId.of("contoso"));
        history.add(new MigrationRequested(new ProviderRef("powerdns-lab", DOMAIN), Fixtures.targetHostOf(DOMAIN), "main", List.of(), "test"));
        while (history.state().status() != WorkflowStatus.READY) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        return history;
    }

    @Test
    void aHoldSurvivesItsWireFormat() {
        GateHold hold = new GateHold(DOMAIN, 4, "wave 'main' has 500 of 500 domains changing", Instant.parse("2026-12-04T18:00:00Z"));
        assertThat(GateHold.decode(hold.encode())).isEqualTo(hold);
    }

    @Test
    void aHoldAppliesOnlyToTheReadyStateItNames() {
        DomainHistory history = ready();
        MigrationState state = history.state();
        assertThat(new GateHold(DOMAIN, state.sequence(), "limit", Instant.now()).appliesTo(state)).isTrue();
        assertThat(new GateHold(DOMAIN, state.sequence() - 1, "limit", Instant.now()).appliesTo(state)).as("an older state").isFalse();
        assertThat(new GateHold(DomainName.of("other.example"), state.sequence(), "limit", Instant.now()).appliesTo(state)).isFalse();
        history.add(CooperativeWorld.successorOf(state));
        assertThat(new GateHold(DOMAIN, state.sequence(), "limit", Instant.now()).appliesTo(history.state())).as("moved on").isFalse();
    }

    @Test
    void aRecordThatIsNotAHoldIsRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> GateHold.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> GateHold.decode("{\"domain\":\"a.example\",\"sequence\":\"4\",\"reason\":\"x\",\"since\":\"2026-12-04T18:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(EventDecodingException.class).hasMessageContaining("'sequence'");
        assertThatThrownBy(() -> GateHold.decode("{\"domain\":\"a.example\",\"sequence\":4,\"since\":\"2026-12-04T18:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(EventDecodingException.class).hasMessageContaining("'reason'");
        assertThatThrownBy(() -> GateHold.decode("{\"domain\":\"a.example\",\"sequence\":4,\"reason\":\"x\",\"since\":\"yesterday\"}"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(EventDecodingException.class).hasMessageContaining("yesterday");
    }
}
