package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.recordgeneration.WaveGate.Admission;
import dev.mxshift.recordgeneration.WaveGate.DomainStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WaveGateTest {

    private static DomainStatus domain(int n, String tenant, String wave, WorkflowStatus status) {
        return new DomainStatus(DomainName.of("d" + n + ".example"), TenantId.of(tenant), wave, status);
    }

    @Test
    void aWaveHasAtMostNDomainsChangingAtOnce() {
        List<DomainStatus> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(domain(i, "t" + i, "w1", WorkflowStatus.MIGRATING));
        }
        DomainStatus next = domain(9, "t9", "w1", WorkflowStatus.READY);
        all.add(next);
        assertThat(WaveGate.admit(next, all, new WaveLimits(3, 100, List.of())))
                .isInstanceOfSatisfying(Admission.Hold.class, h -> assertThat(h.reason()).contains("3 domains of wave 'w1'", "limit is 3"));
        assertThat(WaveGate.admit(next, all, new WaveLimits(4, 100, List.of()))).isInstanceOf(Admission.Admit.class);
        all.set(0, domain(0, "t0", "w1", WorkflowStatus.COMPLETED));
        assertThat(WaveGate.admit(next, all, new WaveLimits(3, 100, List.of()))).isInstanceOf(Admission.Admit.class);
    }

    @Test
    void aTenantHasAtMostItsShareChangingButAlwaysOne() {
        List<DomainStatus> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(domain(i, "acme", null, i < 2 ? WorkflowStatus.MIGRATING : WorkflowStatus.READY));
        }
        assertThat(WaveGate.admit(all.get(5), all, new WaveLimits(100, 20, List.of())))
                .isInstanceOfSatisfying(Admission.Hold.class, h -> assertThat(h.reason()).contains("2 of tenant acme's 10", "20% (2)"));
        assertThat(WaveGate.admit(all.get(5), all, new WaveLimits(100, 30, List.of()))).isInstanceOf(Admission.Admit.class);
        List<DomainStatus> small = List.of(domain(1, "tiny", null, WorkflowStatus.READY), domain(2, "tiny", null, WorkflowStatus.READY));
        assertThat(WaveGate.admit(small.get(0), small, new WaveLimits(100, 1, List.of()))).isInstanceOf(Admission.Admit.class);
    }

    @Test
    void aLaterWaveWaitsUntilEveryCanaryWaveCompletedCleanly() {
        WaveLimits limits = new WaveLimits(100, 100, List.of("canary"));
        DomainStatus main = domain(9, "t", "main", WorkflowStatus.READY);
        List<DomainStatus> running = List.of(domain(1, "t", "canary", WorkflowStatus.MIGRATING), main);
        assertThat(WaveGate.admit(main, running, limits))
                .isInstanceOfSatisfying(Admission.Hold.class, h -> assertThat(h.reason()).contains("still running"));
        List<DomainStatus> failed = List.of(domain(1, "t", "canary", WorkflowStatus.CONFLICT), main);
        assertThat(WaveGate.admit(main, failed, limits))
                .isInstanceOfSatisfying(Admission.Hold.class, h -> assertThat(h.reason()).contains("did not complete cleanly", "CONFLICT"));
        List<DomainStatus> done = List.of(domain(1, "t", "canary", WorkflowStatus.COMPLETED), domain(2, "t", "canary", WorkflowStatus.BLOCKED), main);
        assertThat(WaveGate.admit(main, done, limits)).isInstanceOf(Admission.Admit.class);
        DomainStatus canary = domain(3, "t", "canary", WorkflowStatus.READY);
        assertThat(WaveGate.admit(canary, running, limits)).as("a canary wave itself is not held by itself").isInstanceOf(Admission.Admit.class);
    }

    @Test
    void badLimitsAreNamed() {
        assertThatThrownBy(() -> new WaveLimits(0, 10, List.of())).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new WaveLimits(10, 101, List.of())).hasMessageContaining("between 1 and 100");
    }
}
