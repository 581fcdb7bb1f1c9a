package dev.mxshift.dnspush;

import dev.mxshift.dnspush.connectors.ConnectorLab;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * The push service of a Spring Boot test, on the test broker with topics of its own, writing through one connector:
 * {@code powerdns-lab}, the id the test histories name (CooperativeWorld's), at the PowerDNS of a lab of its own.
 */
final class PushServiceOnLab {

    private PushServiceOnLab() {
    }

    /**
     * Creates the topics, starts the lab {@code labName} and registers the service's properties, the connector granted
     * to {@code tenants}; the caller closes the lab it returns.
     */
    static ConnectorLab register(DynamicPropertyRegistry registry, TopicSpec events, TopicSpec state, String labName, String tenants) {
        String bootstrap = KafkaTestBroker.bootstrapServers();
        TestTopics.createWithDeadLetters(bootstrap, events, state);
        ConnectorLab lab = ConnectorLab.up(labName);
        JsonNode api = lab.powerDnsApi();
        Path key = lab.secretFile("api-key", api.path("apiKey").asString());
        registry.add("spring.cloud.stream.kafka.binder.brokers", () -> bootstrap);
        registry.add("spring.cloud.stream.bindings.events-in-0.destination", events::name);
        registry.add("spring.cloud.stream.bindings.events-out-0.destination", events::name);
        registry.add("mxshift.events.state-topic", state::name);
        registry.add("spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name", () -> events.name() + ".dlt");
        registry.add("mxshift.push.connectors[0].id", () -> "powerdns-lab");
        registry.add("mxshift.push.connectors[0].type", () -> "powerdns");
        registry.add("mxshift.push.connectors[0].tenants", () -> tenants);
        registry.add("mxshift.push.connectors[0].settings.url", () -> api.path("url").asString());
        registry.add("mxshift.push.connectors[0].settings.api-key", () -> "file:" + key);
        return lab;
    }
}
