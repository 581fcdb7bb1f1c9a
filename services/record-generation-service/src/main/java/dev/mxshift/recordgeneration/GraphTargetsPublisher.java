package dev.mxshift.recordgeneration;

import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.service.EventWriter;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells operators what Microsoft Graph does, on the compacted graph-targets topic (decision 0034): the record keyed
 * {@link TopicCatalogue#GRAPH_STATUS_KEY} says Graph is configured (its URL and the tenants it serves; a tombstone when
 * a service starts without it), and one record per domain Graph gave a target (the domain, tenant, target and when).
 * Advice, like the gate holds: the event log keeps the record of what happened (TargetAssigned by graph).
 */
final class GraphTargetsPublisher implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    GraphTargetsPublisher(KafkaClientSettings kafka, String topic) {
        this.producer = new KafkaClients(kafka).producer(Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
        this.topic = topic;
    }

    /** Whether Graph is configured for this service: its settings, or null for not configured (a tombstone). */
    void status(GraphSettings settings) {
        byte[] value = null;
        if (settings != null) {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("configured", true);
            status.put("baseUrl", settings.baseUrl().toString());
            status.put("tenants", settings.tenantsServed());
            status.put("requestsPerSecond", settings.requestsPerSecond());
            status.put("lookAgain", settings.lookAgain().toString());
            status.put("since", Instant.now().toString());
            value = JSON.writeValueAsBytes(status);
        }
        producer.send(new ProducerRecord<>(topic, TopicCatalogue.GRAPH_STATUS_KEY.getBytes(StandardCharsets.UTF_8), value));
        producer.flush();
    }

    void resolved(GraphTargetWatcher.Resolved resolved) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("domain", resolved.state().domain().value());
        record.put("tenant", resolved.state().tenant().value());
        record.put("target", resolved.target());
        record.put("sequence", resolved.state().sequence());
        record.put("at", resolved.at().toString());
        producer.send(new ProducerRecord<>(topic, EventWriter.keyOf(resolved.state().domain()), JSON.writeValueAsBytes(record)));
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
