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
    private static final class Recording implements OwnedEventHandler, BatchOutcomes {
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

    @Test
    void aMalformedPayloadIsRefusedByTheServiceThatOwnsItsEventAndPassedOverByTheOthers() {
        EventEnvelope requested = firstOwned("malformed.example");
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        tools.jackson.databind.node.ObjectNode node = (tools.jackson.databind.node.ObjectNode) json.readTree(CODEC.encode(requested));
        node.putObject("payload").put("nonsense", 1);
        byte[] malformed = json.writeValueAsBytes(node);
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
