package dev.mxshift.service;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Map;

/**
 * Makes every Kafka client mxshift builds itself (the binder makes its own): the connection and security from
 * {@link KafkaClientSettings}, byte-array keys and values (the bytes are {@code EventCodec}'s, or a state's, or a
 * hold's), and the settings every producer and reader of the event log shares, so that no client is configured by
 * a copy of another's map (decision 0022). A caller adds only what is its own: a group, a client id, a linger, a
 * transactional id, a timeout.
 */
public final class KafkaClients {

    /**
     * Every producer: acknowledged by all in-sync replicas, idempotent (a retry never writes a record twice nor out of
     * order, which a domain's sequence relies on), compressed like the binders' producers.
     */
    private static final Map<String, Object> PRODUCER = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.COMPRESSION_TYPE_CONFIG, KafkaClientSettings.COMPRESSION,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);

    /**
     * Every consumer: committed transactions only (an aborted batch of a service was never part of the log), and no
     * offsets committed behind the caller's back (a caller that keeps offsets commits them in its own transaction).
     */
    private static final Map<String, Object> CONSUMER = Map.of(
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);

    private final KafkaClientSettings settings;

    public KafkaClients(KafkaClientSettings settings) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
    }

    public KafkaClientSettings settings() {
        return settings;
    }

    /** A producer with the shared settings and the caller's {@code own} (which win over the shared ones). */
    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> own) {
        return new KafkaProducer<>(producerProperties(own));
    }

    /** A consumer with the shared settings and the caller's {@code own} (which win over the shared ones). */
    public KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> own) {
        return new KafkaConsumer<>(consumerProperties(own));
    }

    /** An admin client on the same connection. */
    public Admin admin() {
        return admin(Map.of());
    }

    /** An admin client on the same connection with the caller's {@code own} settings (a timeout). */
    public Admin admin(Map<String, Object> own) {
        return Admin.create(settings.with(own));
    }

    Map<String, Object> producerProperties(Map<String, Object> own) {
        return settings.with(merged(PRODUCER, own));
    }

    Map<String, Object> consumerProperties(Map<String, Object> own) {
        return settings.with(merged(CONSUMER, own));
    }

    private static Map<String, Object> merged(Map<String, Object> shared, Map<String, Object> own) {
        Map<String, Object> all = new java.util.HashMap<>(shared);
        all.putAll(own);
        return all;
    }

    @Override
    public String toString() {
        // the settings hide their secrets; so must whatever prints the factory
        return "KafkaClients[" + settings + "]";
    }
}
