package dev.mxshift.operator;

import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.TopicProvisioner;
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

    /**
     * The event log, with the catalogue's topics created where they are missing (a command may be the first thing to touch
     * a fresh broker), or a failure within seconds that says what to run ({@link TopicProvisioner#ensureForCommand}).
     */
    EventLog eventLog() {
        KafkaClientSettings kafka = KafkaClientSettings.withConfigFile(bootstrap, config);
        String holds = gateHoldsTopic == null ? TopicCatalogue.gateHoldsOf(stateTopic) : gateHoldsTopic;
        TopicCatalogue catalogue = TopicCatalogue.defaults();
        TopicProvisioner.ensureForCommand(kafka, java.util.List.of(catalogue.events().named(eventsTopic), catalogue.state().named(stateTopic),
                catalogue.gateHolds().named(holds)), TopicProvisioner.COMMAND_PATIENCE);
        return new EventLog(kafka, eventsTopic, stateTopic, holds);
    }
}
