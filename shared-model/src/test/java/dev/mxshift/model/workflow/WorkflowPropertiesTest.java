package dev.mxshift.model.workflow;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.testing.Gen;
import dev.mxshift.model.testing.Property;
import dev.mxshift.model.testing.WorkflowWalker;
import dev.mxshift.model.testing.WorkflowWalker.Walk;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the workflow over many random walks of cooperative, failing, operator and hostile events
 * (see {@link WorkflowWalker}). The coverage checks make sure the walks really reach the end states, so that
 * the invariants are not tested only on short histories. Each property prints its tries and seed; a failure
 * prints the shortest failing walk found (see {@link Property}).
 */
class WorkflowPropertiesTest {

    private static final EventCodec CODEC = new EventCodec();

    /** The choices of one walk: 10 to 300 events, each choice 0 (the world cooperates) to 1,000,000. */
    private static final Gen<List<Integer>> CHOICES = Gen.integers(0, 1_000_000).list(10, 300);

    @Test
    void foldingTheSameHistoryTwiceGivesTheSameState() {
        int tries = 400;
        Map<WorkflowStatus, Integer> endStatus = new EnumMap<>(WorkflowStatus.class);
        Property.forAll(CHOICES).tries(tries).check(choices -> {
            Walk walk = WorkflowWalker.walk(choices);
            List<EventEnvelope> events = walk.history().events();

            MigrationState first = Workflow.replay(MigrationState.initial(Fixtures.DOMAIN), events);
            MigrationState second = Workflow.replay(MigrationState.initial(Fixtures.DOMAIN), events);

            assertThat(first).isEqualTo(second).isEqualTo(walk.history().state());
            endStatus.merge(walk.history().state().status(), 1, Integer::sum);
        });
        System.out.println("end status of " + tries + " walks: " + endStatus);
        // The walks must reach the end states, or the invariants would be checked only on short histories.
        assertThat(endStatus.getOrDefault(WorkflowStatus.COMPLETED, 0) * 100.0 / tries).as("%% of walks completed").isGreaterThan(2.0);
        assertThat(endStatus.getOrDefault(WorkflowStatus.ROLLED_BACK, 0) * 100.0 / tries).as("%% of walks rolled back").isGreaterThan(0.5);
    }

    @Test
    void replayingTheLogFromScratchEqualsTheStateCarriedIncrementally() {
        Property.forAll(CHOICES).tries(300).check(choices -> {
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
        });
    }

    @Test
    void theWireFormatPreservesTheFold() {
        Property.forAll(CHOICES).tries(200).check(choices -> {
            List<EventEnvelope> events = WorkflowWalker.walk(choices).history().events();
            List<EventEnvelope> decoded = events.stream().map(e -> CODEC.decode(CODEC.encode(e))).toList();
            assertThat(decoded).isEqualTo(events);
            // and read as a service that owns them reads them: the envelope, the state, then the rest
            List<EventEnvelope> inParts = events.stream().map(CODEC::encode).map(bytes -> {
                dev.mxshift.model.serde.EventHeader header = CODEC.readHeader(bytes);
                return CODEC.decode(bytes, header, CODEC.decodeCarriedState(bytes, header));
            }).toList();
            assertThat(inParts).isEqualTo(events);
        });
    }

    @Test
    void whoMayOwnAStateIsReadFromItsStatusAndFlagsAlone() {
        Property.forAll(CHOICES).tries(300).check(choices -> {
            for (EventEnvelope event : WorkflowWalker.walk(choices).history().events()) {
                MigrationState s = event.state();
                ServiceRole owner = Workflow.next(s).owner();
                assertThat(Workflow.mayOwn(owner, s.status(), s.paused(), s.held())).as("%s owns the next action of %s", owner, s).isTrue();
                for (ServiceRole role : ServiceRole.values()) {
                    if (role != owner && s.status() != WorkflowStatus.MIGRATING && s.status() != WorkflowStatus.ROLLING_BACK) {
                        // exact outside a plan's steps: a service that may own a state there does own it
                        assertThat(Workflow.mayOwn(role, s.status(), s.paused(), s.held())).as("%s for %s", role, s).isFalse();
                    }
                }
            }
        });
    }

    @Test
    void noReachableStateHasRemovedTheLegacyMxBeforeTheNewMxWasVerified() {
        int tries = 600;
        AtomicInteger legacyRemoved = new AtomicInteger();
        Property.forAll(CHOICES).tries(tries).check(choices -> {
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
            if (states.stream().anyMatch(s -> s.liveMx() != null && s.plan() != null && !s.liveMx().hasLegacyHost())) {
                legacyRemoved.incrementAndGet();
            }
        });
        System.out.println("walks that removed the legacy MX: " + legacyRemoved + " of " + tries);
        assertThat(legacyRemoved.get()).as("walks that reach the removal of the legacy MX").isGreaterThan(tries / 20);
    }

    /** Invariant 6 over every walk: a DS only for verified keys, signing stopped only with no DS at the parent. */
    @Test
    void noReachableStateChainsUnverifiedKeysOrUnsignsUnderADs() {
        int[] chained = {0};
        Property.forAll(CHOICES).tries(600).check(choices -> {
            List<MigrationState> states = WorkflowWalker.walk(choices).states();
            for (int i = 1; i < states.size(); i++) {
                var before = states.get(i - 1).dnssecOrNone();
                var after = states.get(i).dnssecOrNone();
                if (before.ds() == dev.mxshift.model.dnssec.DsStatus.NONE && after.ds() == dev.mxshift.model.dnssec.DsStatus.SUBMITTED) {
                    assertThat(before.keysVerified()).as("a DS went to the parent for unverified keys").isTrue();
                    assertThat(after.keys().sameDs(before.keys())).isTrue();
                }
                if (after.ds() == dev.mxshift.model.dnssec.DsStatus.CHAINED) {
                    chained[0]++;
                }
                if (before.keys() != null && after.keys() == null) {
                    assertThat(before.ds()).as("signing stopped under a DS").isIn(dev.mxshift.model.dnssec.DsStatus.GONE,
                            dev.mxshift.model.dnssec.DsStatus.NONE);
                }
                if (before.keys() != null && after.keys() != null) {
                    assertThat(after.keys().sameKeys(before.keys())).as("a second key").isTrue();
                }
            }
        });
        assertThat(chained[0]).as("the walks reach a chained zone").isPositive();
    }

    @Test
    void noReachableStateHasAnEmptyMxSet() {
        Property.forAll(CHOICES).tries(600).check(choices -> {
            for (MigrationState state : WorkflowWalker.walk(choices).states()) {
                if (state.plan() != null) {
                    assertThat(state.liveMx()).as("live MX of %s", state).isNotNull();
                    assertThat(state.liveMx().isEmpty()).as("empty MX set at event #%d", state.sequence()).isFalse();
                }
            }
        });
    }

    @Test
    void aRollbackThatFinishesRestoresTheDiscoveredSetExactly() {
        int tries = 200;
        AtomicInteger rolledBack = new AtomicInteger();
        Property.forAll(CHOICES).tries(tries).check(choices -> {
            MigrationState end = WorkflowWalker.walk(choices).history().state();
            if (end.status() == WorkflowStatus.ROLLED_BACK) {
                rolledBack.incrementAndGet();
                assertThat(end.liveMx()).isEqualTo(end.discoveredMx());
                assertThat(end.liveMx().toRecordSet().toString()).isEqualTo(end.plan().discoveredMx().toRecordSet().toString());
            }
        });
        System.out.println("walks that ended rolled back: " + rolledBack + " of " + tries);
        assertThat(rolledBack.get()).as("walks that finish a rollback").isGreaterThan(tries / 20);
    }
}
