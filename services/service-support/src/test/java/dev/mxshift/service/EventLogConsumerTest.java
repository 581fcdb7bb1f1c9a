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
 * batch of the thread tells them the one before committed.
 */
class EventLogConsumerTest {

    private static final EventCodec CODEC = new EventCodec();

    /** Takes every owned event; throws for domains named fail-..., and counts what it hears. */
    private static final class Recording implements OwnedEventHandler {
        final List<String> handled = new ArrayList<>();
        int committed;
        int rolledBack;

        @Override
        public boolean handles(NextAction action) {
            return true;
        }

        @Override
        public void handle(EventEnvelope event, NextAction action) {
            if (event.domain().value().startsWith("fail-")) {
                throw new IllegalStateException("made to fail");
            }
            handled.add(event.domain().value());
        }

        @Override
        public void committed() {
            committed++;
        }

        @Override
        public void rolledBack() {
            rolledBack++;
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
        consumer.rolledBack(); // what EventLogRollback calls on this thread when the commit failed

        consumer.accept(batch(0, ok));
        assertThat(handler.handled).containsExactly("commit-lost.example", "commit-lost.example");
        assertThat(handler.rolledBack).isEqualTo(1);
        assertThat(handler.committed).isZero();
    }

    /**
     * A revoked write ACL refuses every event: the records of the first two refusals are dead-lettered (as a refusal
     * about one record would be), the third is an outage, its batch tried again and nothing more dead-lettered; once
     * the ACL is back and a batch that appended events commits, the count starts again.
     */
    @Test
    void authorizationRefusalsInARowStopBeingDeadLetteredAndAreRetriedUntilTheAclIsBack() {
        org.springframework.cloud.stream.function.StreamBridge bridge = org.mockito.Mockito.mock(org.springframework.cloud.stream.function.StreamBridge.class);
        org.mockito.Mockito.when(bridge.send(org.mockito.ArgumentMatchers.anyString(), org.mockito.ArgumentMatchers.any())).thenReturn(true);
        EventAppender appender = new EventAppender(bridge, CODEC, new org.springframework.transaction.support.TransactionTemplate(
                org.mockito.Mockito.mock(org.springframework.transaction.PlatformTransactionManager.class)), new SimpleMeterRegistry());
        java.util.concurrent.atomic.AtomicBoolean aclRevoked = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.Map<String, Integer> handlings = new java.util.HashMap<>();
        OwnedEventHandler appending = new OwnedEventHandler() {
            @Override
            public boolean handles(NextAction action) {
                return true;
            }

            @Override
            public void handle(EventEnvelope event, NextAction action) {
                handlings.merge(event.domain().value(), 1, Integer::sum);
                if (aclRevoked.get()) {
                    // what the transactional producer throws at send when the topic is not authorized
                    throw new org.springframework.kafka.KafkaException("Send failed", new org.apache.kafka.common.errors.TopicAuthorizationException(
                            java.util.Set.of("migration.events")));
                }
                appender.append(event);
            }
        };
        EventLogConsumer consumer = new EventLogConsumer(ServiceRole.DISCOVERY, CODEC, List.of(appending), new SimpleMeterRegistry(),
                new DeadLetters(bridge, "migration.events.dlt", new SimpleMeterRegistry()));

        long offset = 0;
        for (String domain : List.of("first.example", "second.example")) {
            Message<List<byte[]>> one = batch(offset++, firstOwned(domain));
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> consumer.accept(one));
            assertThat(refused).isNotNull();
            consumer.rolledBack((Exception) refused); // EventLogRollback, on this thread
            consumer.accept(one);
        }
        org.mockito.Mockito.verify(bridge, org.mockito.Mockito.times(2)).send(org.mockito.ArgumentMatchers.eq("migration.events.dlt"), org.mockito.ArgumentMatchers.any());

        Message<List<byte[]>> third = batch(offset++, firstOwned("third.example"));
        for (int attempt = 0; attempt < 3; attempt++) {
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> consumer.accept(third));
            assertThat(refused).as("the third refusal in a row is an outage: the batch rolls back, again and again").isNotNull();
            consumer.rolledBack((Exception) refused);
        }
        assertThat(handlings.get("third.example")).as("handled on each retry, as in a broker outage").isEqualTo(3);
        org.mockito.Mockito.verify(bridge, org.mockito.Mockito.times(2)).send(org.mockito.ArgumentMatchers.eq("migration.events.dlt"), org.mockito.ArgumentMatchers.any());

        aclRevoked.set(false);
        consumer.accept(third);
        consumer.accept(batch(offset++, firstOwned("fourth.example"))); // called again: the batch before, which appended, committed
        aclRevoked.set(true);
        Message<List<byte[]>> fifth = batch(offset, firstOwned("fifth.example"));
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> consumer.accept(fifth));
        consumer.rolledBack((Exception) refused);
        consumer.accept(fifth);
        org.mockito.Mockito.verify(bridge, org.mockito.Mockito.times(3)).send(org.mockito.ArgumentMatchers.eq("migration.events.dlt"), org.mockito.ArgumentMatchers.any());
        assertThat(handlings.get("fifth.example")).as("counted from one again: dead-lettered after one handling").isEqualTo(1);
    }

    private static EventEnvelope firstOwned(String domain) {
        return CooperativeWorld.migrated(DomainName.of(domain)).events().stream()
                .filter(e -> Workflow.next(e.state()).owner() == ServiceRole.DISCOVERY).findFirst().orElseThrow();
    }

    /** A batch as the binder hands it over: the payloads, and each per-record header as a list in the same order. */
    private static Message<List<byte[]>> batch(long firstOffset, EventEnvelope... events) {
        List<byte[]> payloads = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        List<Integer> partitions = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            payloads.add(CODEC.encode(events[i]));
            keys.add(events[i].domain().value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            topics.add("migration.events");
            partitions.add(0);
            offsets.add(firstOffset + i);
        }
        return MessageBuilder.withPayload(payloads).setHeader(KafkaHeaders.RECEIVED_KEY, keys).setHeader(KafkaHeaders.RECEIVED_TOPIC, topics)
                .setHeader(KafkaHeaders.RECEIVED_PARTITION, partitions).setHeader(KafkaHeaders.OFFSET, offsets).build();
    }
}
