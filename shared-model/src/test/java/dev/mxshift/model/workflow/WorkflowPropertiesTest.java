package dev.mxshift.model.workflow;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.testing.WorkflowWalker;
import dev.mxshift.model.testing.WorkflowWalker.Walk;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the workflow over many random walks of cooperative, failing, operator and hostile events
 * (see {@link WorkflowWalker}). The coverage checks make sure the walks really reach the end states, so that
 * the invariants are not tested only on short histories.
 */
class WorkflowPropertiesTest {

    private static final EventCodec CODEC = new EventCodec();

    @Provide
    Arbitrary<List<Integer>> choices() {
        return Arbitraries.integers().between(0, 1_000_000).list().ofMinSize(10).ofMaxSize(300);
    }

    @Property(tries = 400)
    void foldingTheSameHistoryTwiceGivesTheSameState(@ForAll("choices") List<Integer> choices) {
        Walk walk = WorkflowWalker.walk(choices);
        List<EventEnvelope> events = walk.history().events();

        MigrationState first = Workflow.replay(MigrationState.initial(Fixtures.DOMAIN), events);
        MigrationState second = Workflow.replay(MigrationState.initial(Fixtures.DOMAIN), events);

        assertThat(first).isEqualTo(second).isEqualTo(walk.history().state());
        Statistics.label("end status").collect(walk.history().state().status());
        Statistics.label("end status").coverage(c -> {
            c.check(WorkflowStatus.COMPLETED).percentage(p -> p > 2.0);
            c.check(WorkflowStatus.ROLLED_BACK).percentage(p -> p > 0.5);
        });
    }

    @Property(tries = 300)
    void replayingTheLogFromScratchEqualsTheStateCarriedIncrementally(@ForAll("choices") List<Integer> choices) {
        List<EventEnvelope> events = WorkflowWalker.walk(choices).history().events();

        MigrationState folded = MigrationState.initial(Fixtures.DOMAIN);
        for (EventEnvelope event : events) {
            folded = Workflow.apply(folded, event);
            assertThat(event.state()).isEqualTo(folded);
        }
        // Resuming from any single event's carried state gives the same end as the full replay.
        int from = choices.get(0) % events.size();
        MigrationState resumed = Workflow.replay(events.get(from).state(), events.subList(from + 1, events.size()));
        assertThat(resumed).isEqualTo(folded);
    }

    @Property(tries = 200)
    void theWireFormatPreservesTheFold(@ForAll("choices") List<Integer> choices) {
        List<EventEnvelope> events = WorkflowWalker.walk(choices).history().events();
        List<EventEnvelope> decoded = events.stream().map(e -> CODEC.decode(CODEC.encode(e))).toList();
        assertThat(decoded).isEqualTo(events);
    }

    @Property(tries = 600)
    void noReachableStateHasRemovedTheLegacyMxBeforeTheNewMxWasVerified(@ForAll("choices") List<Integer> choices) {
        Walk walk = WorkflowWalker.walk(choices);
        List<MigrationState> states = walk.states();
        for (int i = 1; i < states.size(); i++) {
            MigrationState before = states.get(i - 1);
            MigrationState after = states.get(i);
            boolean legacyDropped = before.liveMx() != null && before.liveMx().hasLegacyHost()
                    && after.liveMx() != null && !after.liveMx().hasLegacyHost() && after.sequence() > before.sequence()
                    && after.plan() != null;
            if (legacyDropped) {
                assertThat(before.newMxVerified())
                        .as("legacy MX dropped by event #%d without a verified new MX: %s", after.sequence(), after)
                        .isTrue();
            }
            if (after.discoveredMx() != null && after.discoveredMx().hasLegacyHost() && after.liveMx() != null
                    && !after.liveMx().hasLegacyHost()) {
                assertThat(after.newMxVerified()).as("state #%d serves no legacy MX and no verified new one", after.sequence()).isTrue();
            }
        }
        Statistics.label("legacy removed").collect(states.stream().anyMatch(s -> s.liveMx() != null && s.plan() != null && !s.liveMx().hasLegacyHost()));
    }

    @Property(tries = 600)
    void noReachableStateHasAnEmptyMxSet(@ForAll("choices") List<Integer> choices) {
        for (MigrationState state : WorkflowWalker.walk(choices).states()) {
            if (state.plan() != null) {
                assertThat(state.liveMx()).as("live MX of %s", state).isNotNull();
                assertThat(state.liveMx().isEmpty()).as("empty MX set at event #%d", state.sequence()).isFalse();
            }
        }
    }

    @Property(tries = 200)
    void aRollbackThatFinishesRestoresTheDiscoveredSetExactly(@ForAll("choices") List<Integer> choices) {
        MigrationState end = WorkflowWalker.walk(choices).history().state();
        if (end.status() == WorkflowStatus.ROLLED_BACK) {
            assertThat(end.liveMx()).isEqualTo(end.discoveredMx());
            assertThat(end.liveMx().toRecordSet().toString()).isEqualTo(end.plan().discoveredMx().toRecordSet().toString());
        }
    }
}
