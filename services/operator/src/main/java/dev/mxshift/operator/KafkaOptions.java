package dev.mxshift.operator;

import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.service.KafkaClientSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the event log is and how to connect to it; shared by every operator command. */
final class KafkaOptions {

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "${env:MXSHIFT_KAFKA_BOOTSTRAP:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: $MXSHIFT_KAFKA_BOOTSTRAP or ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:MXSHIFT_KAFKA_CONFIG}",
            description = "Kafka client properties for a secured cluster (security.protocol, sasl.*, ssl.*); see docs/kafka-security.md")
    Path config;

    @Option(names = "--events-topic", paramLabel = "NAME", defaultValue = TopicCatalogue.EVENTS, description = "the event log (default: ${DEFAULT-VALUE})")
    String eventsTopic;

    @Option(names = "--state-topic", paramLabel = "NAME", defaultValue = TopicCatalogue.STATE, description = "the state topic (default: ${DEFAULT-VALUE})")
    String stateTopic;

    @Option(names = "--gate-holds-topic", paramLabel = "NAME",
            description = "why the wave gate holds ready domains, as record generation publishes it (default: the state topic's name + .gate-holds)")
    String gateHoldsTopic;

    EventLog eventLog() {
        KafkaClientSettings kafka = KafkaClientSettings.withConfigFile(bootstrap, config);
        return gateHoldsTopic == null ? new EventLog(kafka, eventsTopic, stateTopic) : new EventLog(kafka, eventsTopic, stateTopic, gateHoldsTopic);
    }
}
