package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.mxshift.model.testing.CooperativeWorld.successorOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one way to append an event from outside a service's transaction, on a real broker: every event of a domain in
 * the partition {@link EventWriter#partitionOf} names (the one the operator reads a domain's history from), in the
 * order appended; a replayed record written byte for byte.
 */
class EventWriterIT {

    private static final EventCodec CODEC = new EventCodec();
    private final KafkaClients clients = new KafkaClients(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()));

    @Test
    void everyEventOfADomainIsInThePartitionNamedForItInTheOrderAppended() {
        TopicSpec events = created();
        List<EventEnvelope> appended = new ArrayList<>();
        List<DomainHistory> histories = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            histories.add(DomainHistory.of(DomainName.of("writer-" + i + ".example")));
        }
        // three rounds, so that each domain's events are interleaved with every other domain's
        for (int round = 0; round < 3; round++) {
            histories.forEach(h -> appended.add(h.add(successorOf(h.state()))));
        }

        try (EventWriter writer = new EventWriter(clients, events.name())) {
            writer.appendAll(appended);
        }

        Map<String, List<Long>> sequences = new HashMap<>();
        List<Integer> partitionsUsed = new ArrayList<>();
        TopicToEnd.read(clients.settings(), events.name(), p -> true, Duration.ofSeconds(60), record -> {
            EventEnvelope event = CODEC.decode(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.domain().value());
            assertThat(record.partition()).as("the partition of %s", event.domain())
                    .isEqualTo(EventWriter.partitionOf(event.domain().value(), events.partitions()));
            sequences.computeIfAbsent(event.domain().value(), d -> new ArrayList<>()).add(event.sequence());
            partitionsUsed.add(record.partition());
        });
        assertThat(sequences).hasSize(40);
        sequences.forEach((domain, seen) -> assertThat(seen).as(domain).containsExactly(1L, 2L, 3L));
        assertThat(partitionsUsed.stream().distinct().count()).as("forty domains spread over the partitions").isGreaterThan(1);
    }

    @Test
    void eachAppendIsAcknowledgedOnceTheLogHasIt() {
        TopicSpec events = created();
        DomainHistory h = DomainHistory.of(DomainName.of("acknowledged.example"));
        List<Exception> heard = new CopyOnWriteArrayList<>();
        try (EventWriter writer = new EventWriter(clients, events.name())) {
            for (int i = 0; i < 5; i++) {
                writer.append(h.add(successorOf(h.state())), e -> heard.add(e == null ? new Exception("acknowledged") : e));
            }
            writer.flush();
            assertThat(heard).as("every append heard of by the time flush returns").hasSize(5)
                    .allSatisfy(e -> assertThat(e).hasMessage("acknowledged"));
        }
        List<EventEnvelope> read = new ArrayList<>();
        TopicToEnd.read(clients.settings(), events.name(), p -> true, Duration.ofSeconds(60), r -> read.add(CODEC.decode(r.value())));
        assertThat(read).isEqualTo(h.events());
    }

    @Test
    void aReplayedRecordIsWrittenByteForByte() {
        TopicSpec events = created();
        byte[] key = "replayed.example".getBytes(StandardCharsets.UTF_8);
        byte[] notAnEvent = "{\"not\":\"an event\"}".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> deadLetter = new ConsumerRecord<>("migration.events.dlt.push", 0, 7L, 0L, TimestampType.CREATE_TIME,
                key.length, notAnEvent.length, key, notAnEvent, new org.apache.kafka.common.header.internals.RecordHeaders(), Optional.empty());

        try (EventWriter writer = new EventWriter(clients, events.name())) {
            writer.republish(List.of(deadLetter));
        }

        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        TopicToEnd.read(clients.settings(), events.name(), p -> true, Duration.ofSeconds(60), read::add);
        assertThat(read).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(key);
            assertThat(r.value()).isEqualTo(notAnEvent);
            assertThat(r.partition()).isEqualTo(EventWriter.partitionOf("replayed.example", events.partitions()));
        });
    }

    private static TopicSpec created() {
        TopicSpec events = TestTopics.unique(TopicCatalogue.defaults().events());
        TestTopics.create(KafkaTestBroker.bootstrapServers(), events);
        return events;
    }
}
