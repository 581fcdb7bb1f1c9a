package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.service.BatchOutcomes.Handled;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who plans a domain the wave gate held, so that it is planned once. What a rolled-back batch undoes at the gate
 * (decision 0041): the admissions its handlings decided, and nothing else (a domain the gate held in the batch may
 * have been admitted and planned by the re-check thread since; releasing it would plan it a second time). And which
 * held domains an instance's re-check may plan: those of its own partitions only.
 */
class RecordGenerationRollbackTest {

    private final AtomicLong nanos = new AtomicLong();
    private final WaveGatekeeper gate = new WaveGatekeeper(new WaveLimits(1, 100, List.of()), Duration.ofSeconds(30), nanos::get);
    private final RecordGenerationHandler handler = new RecordGenerationHandler(PlanOptions::defaults, null, Clock.systemUTC(),
            new SimpleMeterRegistry(), gate);

    private static DomainHistory ready(String name) {
        DomainName domain = DomainName.of(name);
        DomainHistory history = new DomainHistory(domain, TenantId.of("tenant-" + name));
        history.add(new MigrationRequested(new ProviderRef("powerdns-lab", domain), Fixtures.targetHostOf(domain), "w", List.of(), "test"));
        while (history.state().status() != WorkflowStatus.READY) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        return history;
    }

    @Test
    void aRollbackReleasesOnlyWhatItsHandlingsAdmittedNotADomainTheRecheckAdmittedSince() {
        DomainHistory a = ready("a.example");
        DomainHistory b = ready("b.example");
        gate.learn(a.state());
        gate.learn(b.state());

        // batch 1 (committed): a is admitted and planned
        assertThat(handler.handle(a.last(), new NextAction.GeneratePlan())).as("a's plan").hasSize(1);
        // batch 2: b is held, a being the wave's one changing domain
        EventEnvelope heldEvent = b.last();
        List<EventEnvelope> heldDecided = handler.handle(heldEvent, new NextAction.GeneratePlan());
        assertThat(heldDecided).as("b held: nothing decided").isEmpty();
        assertThat(gate.waitingCount()).isEqualTo(1);

        // before batch 2 commits, a completes and the re-check thread admits b (and appends its plan on its own)
        a.add(CooperativeWorld.successorOf(a.state()));
        CooperativeWorld.runUntilStopped(a);
        gate.learn(a.state());
        assertThat(gate.admitWaiting()).extracting(MigrationState::domain).containsExactly(b.state().domain());

        // then batch 2 rolls back: b's admission was not its own, so b must not wait again (a second plan)
        handler.rolledBack(List.of(new Handled(heldEvent, heldDecided)));
        assertThat(gate.waitingCount()).as("b stays admitted by the re-check").isZero();
        assertThat(gate.admitWaiting()).as("nothing to plan again").isEmpty();
    }

    @Test
    void aHeldDomainOfAnotherInstancesPartitionsIsNeverPlannedByThisOnesRecheck() {
        DomainHistory a = ready("a.example");
        DomainHistory b = ready("b.example");
        // this instance's gate sees both on the state topic (its limits count every domain); only a's partition is its own
        gate.learn(a.state());
        gate.learn(b.state());
        dev.mxshift.model.serde.EventCodec codec = new dev.mxshift.model.serde.EventCodec();
        handler.observe(codec.readHeader(codec.encode(a.last())), a.state());
        nanos.addAndGet(java.time.Duration.ofMinutes(5).toNanos()); // long past the grace

        assertThat(gate.admitWaiting(domain -> !domain.equals(b.state().domain()))).extracting(MigrationState::domain)
                .as("only the domain of this instance's partitions").containsExactly(a.state().domain());
        assertThat(gate.waitingReasons()).as("b stays held here, for its owner to plan").containsOnlyKeys(b.state().domain());

        // the handler knows its partitions from the events it observes, and forgets those Kafka takes away
        handler.released(domain -> domain.equals("a.example"));
        handler.recovered(b.state());
        assertThat(handler.owns(a.state().domain())).isFalse();
        assertThat(handler.owns(b.state().domain())).isTrue();
    }

    @Test
    void aRollbackReleasesTheAdmissionsItsHandlingsDecidedSoTheyArePlannedWhenTheyComeAgain() {
        DomainHistory c = ready("c.example");
        gate.learn(c.state());
        List<EventEnvelope> plan = handler.handle(c.last(), new NextAction.GeneratePlan());
        assertThat(plan).hasSize(1);
        assertThat(handler.handle(c.last(), new NextAction.GeneratePlan())).as("admitted once only").isEmpty();

        handler.rolledBack(List.of(new Handled(c.last(), plan)));

        assertThat(handler.handle(c.last(), new NextAction.GeneratePlan())).as("the record, coming again, is planned").hasSize(1);
    }
}
