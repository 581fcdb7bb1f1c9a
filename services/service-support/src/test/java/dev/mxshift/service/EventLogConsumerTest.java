package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.model.workflow.Workflow;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The consumer's batch bookkeeping, called as the binder calls it (a batch message whose headers are lists), without
 * a broker: a batch that fails forgets what it taught the stale check and tells the handlers it rolled back; the next
 * batch of its partitions tells them the one before committed.
 */
class EventLogConsumerTest {

    private static final EventCodec CODEC = new EventCodec();
    private static final org.apache.kafka.common.TopicPartition PARTITION = new org.apache.kafka.common.TopicPartition("migration.events", 0);

    /** Takes every owned event; throws for domains named fail-..., and counts what it hears. */
    private static final class Recording implements OwnedEventHandler, BatchOutcomes {
        final List<String> handled = new ArrayList<>();
        int committed;
        int rolledBack;
        /** The owned events handled in the last batch that rolled back, as the runtime reports them. */
        List<EventEnvelope> lastRolledBack = List.of();

        @Override
        public boolean handles(NextAction action) {
            return true;
        }

        @Override
        public List<EventEnvelope> handle(EventEnvelope event, NextAction action) {
            if (event.domain().value().startsWith("fail-")) {
                throw new IllegalStateException("made to fail");
            }
            handled.add(event.domain().value());
            return List.of();
        }

        @Override
        public void committed(List<Handled> events) {
            committed++;
        }

        @Override
        public void rolledBack(List<Handled> events) {
            rolledBack++;
            lastRolledBack = events.stream().map(Handled::event).toList();
        }
    }

    private final Recording handler = new Recording();
    private final EventLogConsumer consumer = new EventLogConsumer(ServiceRole.DISCOVERY, CODEC, List.of(handler), new SimpleMeterRegistry());

    @Test
    void aBatchThatFailsIsForgottenSoItsRecordsAreActedOnWhenTheyComeAgain() {
        EventEnvelope ok = firstOwned("ok.example");
        EventEnvelope failing = firstOwned("fail-once.example");

        assertThatThrownBy(() -> consumer.accept(batch(0, ok, failing))).hasMessage("made to fail");
        assertThat(handler.handled).containsExactly("ok.example");
        assertThat(handler.rolledBack).as("the handlers hear of the rollback").isEqualTo(1);
        assertThat(handler.lastRolledBack).as("with the owned events whose handling returned").containsExactly(ok);

        consumer.accept(batch(0, ok));
        assertThat(handler.handled).as("the record that came again is not taken for a repeat").containsExactly("ok.example", "ok.example");
        assertThat(handler.committed).as("nothing known committed yet").isZero();

        consumer.accept(batch(1, firstOwned("next.example")));
        assertThat(handler.committed).as("called again: the batch before committed").isEqualTo(1);
        consumer.accept(batch(0, ok));
        assertThat(handler.handled).as("a committed record delivered again is a repeat").containsExactly("ok.example", "ok.example", "next.example");
    }

    @Test
    void aCommitThatFailsAfterTheBatchIsForgottenWhenTheContainerSaysSo() {
        EventEnvelope ok = firstOwned("commit-lost.example");
        consumer.accept(batch(0, ok));
        // what EventLogRollback says when the commit failed
        consumer.rolledBack(java.util.Map.of(PARTITION, 0L), null);

        consumer.accept(batch(0, ok));
        assertThat(handler.handled).containsExactly("commit-lost.example", "commit-lost.example");
        assertThat(handler.rolledBack).isEqualTo(1);
        assertThat(handler.committed).isZero();
    }

    @Test
    void aRollbackOfAnotherBatchThanTheOneInHandLeavesItAlone() {
        EventEnvelope committed = firstOwned("committed.example");
        consumer.accept(batch(0, firstOwned("before.example")));
        consumer.accept(batch(1, committed));
        // the after-rollback processor speaks of records from offset 0: not the batch in hand (from 1), which goes on
        consumer.rolledBack(java.util.Map.of(PARTITION, 0L), null);
        assertThat(handler.rolledBack).as("the batch in hand is not the one rolled back").isZero();

        consumer.accept(batch(2, firstOwned("after.example")));
        assertThat(handler.committed).as("both earlier batches committed").isEqualTo(2);
        consumer.accept(batch(1, committed));
        assertThat(handler.handled).as("what the batch in hand handled is still known: a repeat")
                .containsExactly("before.example", "committed.example", "after.example");
    }

    @Test
    void eachConsumerThreadHearsItsOwnBatchsOutcomeWhenAPartitionMovesBetweenThem() throws Exception {
        EventEnvelope slow = firstOwned("slow.example");
        EventEnvelope moved = firstOwned("moved.example");
        java.util.concurrent.ExecutorService threadA = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            // thread A holds a batch from offset 0 (it overran the poll interval); the partition moved to this thread,
            // which polls it from the same offset
            threadA.submit(() -> consumer.accept(batch(0, slow))).get();
            consumer.accept(batch(0, moved));
            assertThat(handler.rolledBack).as("this thread's batch does not roll back thread A's").isZero();

            // A's commit fails: its after-rollback processor, on A, undoes A's batch and only A's
            threadA.submit(() -> consumer.rolledBack(java.util.Map.of(PARTITION, 0L), null)).get();
            assertThat(handler.lastRolledBack).containsExactly(slow);

            consumer.accept(batch(1, firstOwned("next.example")));
            assertThat(handler.rolledBack).isEqualTo(1);
            assertThat(handler.committed).as("this thread's batch committed").isEqualTo(1);
        } finally {
            threadA.shutdownNow();
        }
    }

    @Test
    void aBatchThatComesAgainFromItsStartWithoutARollbackHeardDidNotCommit() {
        EventEnvelope fenced = firstOwned("fenced.example");
        consumer.accept(batch(5, fenced));
        // its commit was fenced and nobody said so: the same records come again from the same offset
        consumer.accept(batch(5, fenced));
        assertThat(handler.rolledBack).as("the batch before is taken for rolled back").isEqualTo(1);
        assertThat(handler.lastRolledBack).containsExactly(fenced);
        assertThat(handler.committed).isZero();
        assertThat(handler.handled).as("and its record is acted on again, not taken for a repeat")
                .containsExactly("fenced.example", "fenced.example");
    }

    @Test
    void aMalformedPayloadIsRefusedByTheServiceThatOwnsItsEventAndPassedOverByTheOthers() {
        EventEnvelope requested = firstOwned("malformed.example");
        byte[] malformed = malformedPayload(requested);
        Recording validation = new Recording();
        EventLogConsumer notOwner = new EventLogConsumer(ServiceRole.VALIDATION, CODEC, List.of(validation), new SimpleMeterRegistry());

        notOwner.accept(batch(0, List.of(malformed)));
        assertThat(validation.handled).isEmpty();

        // without a dead-letter topic the owner's refusal fails the batch; with one, the record goes there with this reason
        assertThatThrownBy(() -> consumer.accept(batch(0, List.of(malformed))))
                .isInstanceOf(dev.mxshift.model.serde.EventDecodingException.class)
                .hasMessageContaining(requested.type() + " event does not match its schema");
        assertThat(handler.handled).isEmpty();
    }

    @Test
    void aRecordThatIsNoEventIsRefusedByEveryService() {
        byte[] noEvent = "not an event".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        EventLogConsumer notOwner = new EventLogConsumer(ServiceRole.VALIDATION, CODEC, List.of(new Recording()), new SimpleMeterRegistry());
        assertThatThrownBy(() -> notOwner.accept(batch(0, List.of(noEvent)))).isInstanceOf(dev.mxshift.model.serde.EventDecodingException.class);
    }

    /** Wait timers as a service keeps them: advanced by every event it observes, kept from those of a domain with a timer. */
    private static final class Timers implements PartitionLifecycle {
        final ManualScheduler scheduler = new ManualScheduler(java.time.Instant.parse("2026-12-01T10:00:00Z"));
        final DurableTimers timers = new DurableTimers("test-timers",
                state -> Workflow.next(state) instanceof NextAction.AwaitTimer timer ? timer.dueAt() : null,
                (state, causation) -> { throw new AssertionError("no timer is due in this test"); },
                event -> { }, scheduler.clock(), scheduler, new SimpleMeterRegistry(), "test.timers.pending");

        @Override
        public void observe(dev.mxshift.model.serde.EventHeader event, dev.mxshift.model.workflow.MigrationState state) {
            timers.advance(event.domain(), event.sequence());
        }

        @Override
        public boolean keeps(String domain) {
            return timers.has(domain);
        }

        EventLogConsumer consumer(ServiceRole role) {
            return new EventLogConsumer(role, CODEC, List.of(), List.of(this), new SimpleMeterRegistry(), null, 4, null, 1,
                    java.time.Duration.ofSeconds(1));
        }
    }

    /** A domain whose wait step's timer is due in an hour: the events up to its {@code WaitScheduled}. */
    private static dev.mxshift.model.testing.DomainHistory waiting(String domain, java.time.Instant now) {
        dev.mxshift.model.testing.DomainHistory history = dev.mxshift.model.testing.DomainHistory.of(DomainName.of(domain));
        while (!(Workflow.next(history.state()) instanceof NextAction.ScheduleWait)) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        NextAction.ScheduleWait wait = (NextAction.ScheduleWait) Workflow.next(history.state());
        history.add(new dev.mxshift.model.event.WaitScheduled(wait.direction(), wait.step(), now.plusSeconds(3600)));
        return history;
    }

    @Test
    void aMalformedOwnedEventLeavesTheWaitingDomainsTimerInPlace() {
        Timers push = new Timers();
        dev.mxshift.model.testing.DomainHistory history = waiting("poisoned.example", push.scheduler.clock().instant());
        EventLogConsumer consumer = push.consumer(ServiceRole.DNS_PUSH);
        consumer.accept(batch(0, history.events().toArray(EventEnvelope[]::new)));
        push.timers.set(history.state(), history.last().eventId()); // as the push service's WaitTimers does for AwaitTimer
        assertThat(push.timers.domains()).as("the wait's timer is set").containsExactly("poisoned.example");

        dev.mxshift.model.workflow.MigrationState state = history.state();
        EventEnvelope elapsed = history.add(new dev.mxshift.model.event.WaitElapsed(state.direction(), state.stepIndex()));
        assertThat(Workflow.next(elapsed.state()).owner()).as("the push service owns what follows the wait").isEqualTo(ServiceRole.DNS_PUSH);

        // without a dead-letter topic the owner's refusal fails the batch; with one, the record goes there
        assertThatThrownBy(() -> consumer.accept(batch(history.events().size(), List.of(malformedPayload(elapsed)))))
                .isInstanceOf(dev.mxshift.model.serde.EventDecodingException.class);
        assertThat(push.timers.domains()).as("a record the workflow never takes does not cancel the timer").containsExactly("poisoned.example");
        push.timers.close();
    }

    @Test
    void aMalformedEventOfAnotherServiceDoesNotReachATimerEither() {
        Timers validation = new Timers();
        dev.mxshift.model.testing.DomainHistory history = waiting("elsewhere.example", validation.scheduler.clock().instant());
        validation.timers.set(history.state(), history.last().eventId());
        EventLogConsumer consumer = validation.consumer(ServiceRole.VALIDATION);

        dev.mxshift.model.workflow.MigrationState state = history.state();
        EventEnvelope elapsed = history.add(new dev.mxshift.model.event.WaitElapsed(state.direction(), state.stepIndex()));
        consumer.accept(batch(0, List.of(malformedPayload(elapsed))));

        assertThat(validation.timers.domains()).as("passed over, not observed").containsExactly("elsewhere.example");
        consumer.accept(batch(1, elapsed));
        assertThat(validation.timers.domains()).as("the sound event (a replay) moves the domain on").isEmpty();
        validation.timers.close();
    }

    @Test
    void aMalformedEventNoServiceOwnsIsRefusedByThePushServiceAlone() {
        EventEnvelope paused = dev.mxshift.model.testing.DomainHistory.of(DomainName.of("paused.example"))
                .addAll(CooperativeWorld.request(DomainName.of("paused.example"))).add(new dev.mxshift.model.event.Paused("ops", "a look first"));
        List<EventEnvelope> completedHistory = CooperativeWorld.migrated(DomainName.of("done.example")).events();
        EventEnvelope completed = completedHistory.get(completedHistory.size() - 1);
        assertThat(Workflow.next(paused.state()).owner()).isEqualTo(ServiceRole.OPERATOR);
        assertThat(Workflow.next(completed.state()).owner()).isEqualTo(ServiceRole.NOBODY);

        for (EventEnvelope unowned : List.of(paused, completed)) {
            byte[] malformed = malformedPayload(unowned);
            for (ServiceRole other : List.of(ServiceRole.DISCOVERY, ServiceRole.VALIDATION, ServiceRole.RECORD_GENERATION)) {
                Recording handler = new Recording();
                EventLogConsumer passesOver = new EventLogConsumer(other, CODEC, List.of(handler), List.of(new ObservesStates()),
                        new SimpleMeterRegistry(), null, 4, null, 1, java.time.Duration.ofSeconds(1));
                passesOver.accept(batch(0, List.of(malformed)));
                assertThat(handler.handled).isEmpty();
            }
            EventLogConsumer push = new EventLogConsumer(EventLogConsumer.UNOWNED_KEEPER, CODEC, List.of(new Recording()), new SimpleMeterRegistry());
            assertThatThrownBy(() -> push.accept(batch(0, List.of(malformed))))
                    .as("the push service dead-letters %s (here: refuses it, having no dead-letter topic)", unowned.type())
                    .isInstanceOf(dev.mxshift.model.serde.EventDecodingException.class)
                    .hasMessageContaining(unowned.type() + " event does not match its schema");
            push.accept(batch(1, unowned));
        }
    }

    /** Binds every event's state, as the wave gate does, so a malformed state is seen by a service that may not own it. */
    private static final class ObservesStates implements PartitionLifecycle {
        @Override
        public boolean observesStates() {
            return true;
        }
    }

    private static byte[] malformedPayload(EventEnvelope event) {
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        tools.jackson.databind.node.ObjectNode node = (tools.jackson.databind.node.ObjectNode) json.readTree(CODEC.encode(event));
        node.putObject("payload").put("nonsense", 1);
        return json.writeValueAsBytes(node);
    }

    private static EventEnvelope firstOwned(String domain) {
        return CooperativeWorld.migrated(DomainName.of(domain)).events().stream()
                .filter(e -> Workflow.next(e.state()).owner() == ServiceRole.DISCOVERY).findFirst().orElseThrow();
    }

    /** A batch as the binder hands it over: the payloads, and each per-record header as a list in the same order. */
    private static Message<List<byte[]>> batch(long firstOffset, EventEnvelope... events) {
        return batch(firstOffset, java.util.Arrays.stream(events).map(CODEC::encode).toList());
    }

    private static Message<List<byte[]>> batch(long firstOffset, List<byte[]> records) {
        List<byte[]> payloads = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        List<Integer> partitions = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            payloads.add(records.get(i));
            keys.add(("key-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            topics.add("migration.events");
            partitions.add(0);
            offsets.add(firstOffset + i);
        }
        return MessageBuilder.withPayload(payloads).setHeader(KafkaHeaders.RECEIVED_KEY, keys).setHeader(KafkaHeaders.RECEIVED_TOPIC, topics)
                .setHeader(KafkaHeaders.RECEIVED_PARTITION, partitions).setHeader(KafkaHeaders.OFFSET, offsets).build();
    }
}
