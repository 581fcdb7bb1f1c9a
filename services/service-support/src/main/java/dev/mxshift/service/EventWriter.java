package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Appends event envelopes to the event log from outside a service's consume-produce transaction: the operator's
 * commands and API, the inventory import, a dead letter replayed. Every event is keyed by its domain's canonical name,
 * so Kafka's own partitioner puts every event of a domain in one partition, in the order appended (the producer is
 * idempotent, so a retry neither repeats nor reorders). A service's own appends go through its binder instead
 * ({@link EventAppender}), inside the transaction of the record that caused them; that producer is the binder's.
 */
public final class EventWriter implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String bootstrap;
    private final EventCodec codec = new EventCodec();

    public EventWriter(KafkaClients clients, String eventsTopic) {
        // a short linger gathers an import's events into batches; an operator command waits for its acks anyway
        // and it waits at most 20 s for the broker (the clients' default is a minute); the commands create the topics first
        this.producer = clients.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000));
        this.topic = eventsTopic;
        this.bootstrap = clients.settings().bootstrap();
    }

    /** The record key of every record about {@code domain} (its events, its state, its gate hold): its canonical name. */
    public static byte[] keyOf(DomainName domain) {
        return domain.value().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The partition of the event log (and of the state topic, which has as many) that holds {@code domain}'s records:
     * what Kafka's own partitioner chooses for its key. Kafka has no public API for it; this is the one place that asks
     * the partitioner's internals, so a Kafka upgrade that moves it breaks here and nowhere else.
     */
    public static int partitionOf(String domain, int partitions) {
        return BuiltInPartitioner.partitionForKey(domain.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /**
     * Sends the event without waiting; {@code acknowledged} hears null once the log has it, or why it does not, on the
     * producer's thread. A failure to hand the event to the producer at all is thrown here.
     */
    public void append(EventEnvelope event, Consumer<Exception> acknowledged) {
        producer.send(new ProducerRecord<>(topic, keyOf(event.domain()), codec.encode(event)), (metadata, e) -> acknowledged.accept(e));
    }

    /**
     * Appends the events in order and returns when the log has every one.
     *
     * @throws IllegalStateException when the log did not take one of them
     */
    public void appendAll(List<EventEnvelope> events) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        events.forEach(e -> records.add(new ProducerRecord<>(topic, keyOf(e.domain()), codec.encode(e))));
        sendAndWait(records, "the events");
    }

    /**
     * Appends records as they were read, key and value unchanged (a dead letter replayed: its bytes may be what no
     * codec reads), and returns when the log has every one.
     *
     * @throws IllegalStateException when the log did not take one of them
     */
    public void republish(List<ConsumerRecord<byte[], byte[]>> records) {
        List<ProducerRecord<byte[], byte[]>> again = new ArrayList<>();
        records.forEach(r -> again.add(new ProducerRecord<>(topic, r.key(), r.value())));
        sendAndWait(again, "the replayed records");
    }

    /** Returns when every event sent so far is acknowledged or failed (each {@code acknowledged} has heard). */
    public void flush() {
        producer.flush();
    }

    private void sendAndWait(List<ProducerRecord<byte[], byte[]>> records, String what) {
        List<Future<?>> sent = new ArrayList<>();
        records.forEach(r -> sent.add(producer.send(r)));
        try {
            for (Future<?> f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the event log " + topic + " at " + bootstrap + " did not take " + what + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending " + what + " to " + topic, e);
        }
    }

    /** Sends what is still buffered, then closes the producer. */
    @Override
    public void close() {
        producer.close();
    }
}
