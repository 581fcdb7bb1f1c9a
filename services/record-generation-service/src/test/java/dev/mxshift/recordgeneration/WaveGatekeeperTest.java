package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Cancelled;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class WaveGatekeeperTest {

    private final AtomicLong clock = new AtomicLong();

    private WaveGatekeeper gate(int perWave, int tenantPercent, String... canaries) {
        return new WaveGatekeeper(new WaveLimits(perWave, tenantPercent, List.of(canaries)), Duration.ofSeconds(30), clock::get);
    }

    /** A domain of its own tenant, ready for its plan. */
    private static DomainHistory ready(String name, String wave) {
        return ready(name, wave, "tenant-" + name);
    }

    private static DomainHistory ready(String name, String wave, String tenant) {
        DomainName domain = DomainName.of(name);
        DomainHistory history = new DomainHistory(domain, TenantId.of(tenant));
        history.add(new MigrationRequested(new ProviderRef("powerdns-lab", domain), Fixtures.targetHostOf(domain), wave, List.of(), "test"));
        while (history.state().status() != WorkflowStatus.READY) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        return history;
    }

    @Test
    void aBurstOfReadyDomainsIsAdmittedOnlyUpToTheWaveLimitAndTheRestWhenOthersFinish() {
        WaveGatekeeper gate = gate(2, 100);
        List<DomainHistory> domains = List.of(ready("a.example", "w"), ready("b.example", "w"), ready("c.example", "w"),
                ready("d.example", "w"));
        domains.forEach(d -> gate.learn(d.state()));
        assertThat(domains.stream().map(d -> gate.admit(d.state())).toList()).containsExactly(true, true, false, false);
        assertThat(gate.waitingReasons().get(DomainName.of("c.example"))).contains("2 domains of wave 'w' are changing; the limit is 2");
        assertThat(gate.admit(domains.get(0).state())).as("admitted once only").isFalse();
        assertThat(gate.admitWaiting()).isEmpty();

        DomainHistory a = domains.get(0);
        a.add(CooperativeWorld.successorOf(a.state()));
        CooperativeWorld.runUntilStopped(a);
        assertThat(a.state().status()).isEqualTo(WorkflowStatus.COMPLETED);
        gate.learn(a.state());
        assertThat(gate.admitWaiting()).extracting(MigrationState::domain).containsExactly(DomainName.of("c.example"));
        assertThat(gate.admitWaiting()).isEmpty();
        assertThat(gate.waitingCount()).isEqualTo(1);
    }

    @Test
    void theHoldsShownToOperatorsNameTheStateHeldAndTheReasonAndEndWithTheHold() {
        java.time.Instant at = java.time.Instant.parse("2026-12-04T18:00:00Z");
        WaveGatekeeper gate = new WaveGatekeeper(new WaveLimits(1, 100, List.of()), Duration.ofSeconds(30), clock::get,
                java.time.Clock.fixed(at, java.time.ZoneOffset.UTC));
        DomainHistory a = ready("a.example", "w");
        DomainHistory b = ready("b.example", "w");
        DomainHistory c = ready("c.example", "w");
        gate.learn(a.state());
        gate.learn(b.state());
        gate.learn(c.state());
        assertThat(gate.holds()).as("none asked yet: nothing held").isEmpty();
        assertThat(gate.admit(a.state())).isTrue();
        assertThat(gate.admit(b.state())).isFalse();

        assertThat(gate.holds()).singleElement().satisfies(hold -> {
            assertThat(hold.domain()).isEqualTo(DomainName.of("b.example"));
            assertThat(hold.sequence()).isEqualTo(b.state().sequence());
            assertThat(hold.reason()).contains("1 domains of wave 'w' are changing; the limit is 1");
            assertThat(hold.since()).isEqualTo(at);
            assertThat(hold.appliesTo(b.state())).isTrue();
        });

        a.add(CooperativeWorld.successorOf(a.state()));
        CooperativeWorld.runUntilStopped(a);
        gate.learn(a.state());
        assertThat(gate.admitWaiting()).extracting(MigrationState::domain).containsExactly(DomainName.of("b.example"));
        assertThat(gate.holds()).as("admitted: no longer held").isEmpty();
    }

    @Test
    void laterWavesWaitForTheCanaryWaveToEndCleanly() {
        WaveGatekeeper gate = gate(100, 100, "canary");
        DomainHistory canary = ready("canary.example", "canary");
        DomainHistory main = ready("main.example", "main");
        gate.learn(canary.state());
        gate.learn(main.state());
        assertThat(gate.admit(main.state())).isFalse();
        assertThat(gate.waitingReasons().get(DomainName.of("main.example"))).contains("canary wave 'canary' is still running");
        assertThat(gate.admit(canary.state())).isTrue();

        canary.add(CooperativeWorld.successorOf(canary.state()));
        canary.add(new dev.mxshift.model.event.StepApplyFailed(dev.mxshift.model.event.Direction.FORWARD, 0,
                dev.mxshift.model.event.ApplyFailureKind.PERMANENT, "the provider refused", null));
        gate.learn(canary.state());
        assertThat(gate.admitWaiting()).isEmpty();
        assertThat(gate.waitingReasons().get(DomainName.of("main.example"))).contains("did not complete cleanly").contains("FAILED");

        canary.add(new Cancelled("operator", "given up"));
        gate.learn(canary.state());
        assertThat(gate.admitWaiting()).extracting(MigrationState::domain).containsExactly(DomainName.of("main.example"));
    }

    @Test
    void aTenantKeepsToItsShareAcrossWaves() {
        WaveGatekeeper gate = gate(100, 50);
        List<DomainHistory> tenant = List.of(ready("t1.example", "w1", "big"), ready("t2.example", "w2", "big"),
                ready("t3.example", "w3", "big"), ready("t4.example", "w4", "big"));
        tenant.forEach(d -> gate.learn(d.state()));
        assertThat(tenant.stream().map(d -> gate.admit(d.state())).toList()).containsExactly(true, true, false, false);
        assertThat(gate.waitingReasons().get(DomainName.of("t3.example"))).contains("2 of tenant big's 4 domains are changing");
    }

    @Test
    void aReadyDomainSeenOnlyOnTheStateTopicIsPlannedHereOnlyAfterTheGrace() {
        WaveGatekeeper gate = gate(100, 100);
        DomainHistory foreign = ready("foreign.example", "w");
        gate.learn(foreign.state());
        assertThat(gate.admitWaiting()).as("its owner plans it normally").isEmpty();
        clock.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(gate.admitWaiting()).extracting(MigrationState::domain).containsExactly(DomainName.of("foreign.example"));
    }

    @Test
    void anAdmissionWhosePlanWasNotAppendedIsReleasedAndADomainThatMovedOnIsDropped() {
        WaveGatekeeper gate = gate(1, 100);
        DomainHistory first = ready("first.example", "w");
        DomainHistory second = ready("second.example", "w");
        assertThat(gate.admit(first.state())).isTrue();
        assertThat(gate.admit(second.state())).isFalse();
        gate.release(first.state());
        assertThat(gate.waitingCount()).as("the released one waits again, and no longer counts as changing").isEqualTo(2);
        assertThat(gate.admitWaiting()).hasSize(1);
        assertThat(gate.waitingCount()).isEqualTo(1);

        DomainHistory third = ready("third.example", "w");
        assertThat(gate.admit(third.state())).isFalse();
        third.add(new Cancelled("operator", "not now"));
        gate.learn(third.state());
        assertThat(gate.waitingReasons()).doesNotContainKey(DomainName.of("third.example"));
    }
}
