package dev.mxshift.validation;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.Evidence;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.StepApplied;
import dev.mxshift.model.event.StepVerificationFailed;
import dev.mxshift.model.event.StepVerified;
import dev.mxshift.model.event.VerificationRetryScheduled;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.workflow.StepPhase;
import dev.mxshift.model.workflow.WorkflowStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReverificationTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private final Reverification policy = new Reverification(3, Duration.ofSeconds(15), 50, Duration.ofMinutes(1));

    private static DomainHistory appliedFirstStep() {
        DomainHistory history = DomainHistory.of(DomainName.of("contoso.example"));
        while (history.state().status() != WorkflowStatus.MIGRATING || history.state().phase() != StepPhase.PENDING
                || !history.state().activeSteps().get(history.state().stepIndex()).writes()) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        history.add(new StepApplied(Direction.FORWARD, history.state().stepIndex(), false, "serial 2"));
        return history;
    }

    private static StepVerificationFailed notSeen(int step) {
        return new StepVerificationFailed(Direction.FORWARD, step, "ns2 still serves the old set",
                List.of(new Evidence("ns2.lab", "SOA serial 1")));
    }

    @Test
    void aStepNotSeenIsCheckedAgainUntilItsChecksAreUsedUp() {
        DomainHistory history = appliedFirstStep();
        int step = history.state().stepIndex();
        PlanStep planStep = history.state().activeSteps().get(step);

        MigrationEvent first = policy.next(notSeen(step), history.state(), planStep, NOW);
        assertThat(first).isEqualTo(new VerificationRetryScheduled(Direction.FORWARD, step, 1, NOW.plusSeconds(15),
                "ns2 still serves the old set", List.of(new Evidence("ns2.lab", "SOA serial 1"))));
        history.add(first);
        MigrationEvent second = policy.next(notSeen(step), history.state(), planStep, NOW);
        assertThat(second).isInstanceOfSatisfying(VerificationRetryScheduled.class, r -> assertThat(r.attempt()).isEqualTo(2));
        history.add(second);

        MigrationEvent third = policy.next(notSeen(step), history.state(), planStep, NOW);
        assertThat(third).isInstanceOfSatisfying(StepVerificationFailed.class,
                f -> assertThat(f.reason()).contains("ns2 still serves the old set").contains("checked 3 time(s), 15 s apart"));
        history.add(third);
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void whatIsSeenIsRecordedAsItIsAndTheDaneCheckWaitsLonger() {
        DomainHistory history = appliedFirstStep();
        int step = history.state().stepIndex();
        StepVerified seen = new StepVerified(Direction.FORWARD, step, List.of());
        assertThat(policy.next(seen, history.state(), history.state().activeSteps().get(step), NOW)).isSameAs(seen);

        PlanStep dane = new PlanStep.VerifyDane(dev.mxshift.model.plan.StepPurpose.VERIFY_DANE, DomainName.of("contoso-example.o-v1.mx.microsoft"));
        assertThat(policy.next(notSeen(step), history.state(), dane, NOW))
                .isInstanceOfSatisfying(VerificationRetryScheduled.class, r -> assertThat(r.dueAt()).isEqualTo(NOW.plusSeconds(60)));
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new Reverification(0, Duration.ofSeconds(1), 1, Duration.ofSeconds(1))).hasMessageContaining("at least one check");
        assertThatThrownBy(() -> new Reverification(1, Duration.ofSeconds(-1), 1, Duration.ofSeconds(1))).hasMessageContaining("negative");
    }
}
