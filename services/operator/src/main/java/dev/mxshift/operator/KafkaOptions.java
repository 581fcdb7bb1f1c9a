package dev.mxshift.operator;

import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaConnectionOptions;
import dev.mxshift.service.TopicProvisioner;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the event log is and how to connect to it; shared by every operator command. */
final class KafkaOptions {

    @Mixin
    KafkaConnectionOptions connection;

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
        return eventLog(TopicProvisioner.COMMAND_PATIENCE);
    }

    /** The same, waiting up to {@code patience} for the broker (a command that runs as long as a migration waits longer). */
    EventLog eventLog(java.time.Duration patience) {
        KafkaClientSettings kafka = connection.settings();
        String holds = gateHoldsTopic == null ? TopicCatalogue.gateHoldsOf(stateTopic) : gateHoldsTopic;
        TopicCatalogue catalogue = TopicCatalogue.defaults();
        TopicProvisioner.ensureForCommand(kafka, java.util.List.of(catalogue.events().named(eventsTopic), catalogue.state().named(stateTopic),
                catalogue.gateHolds().named(holds)), patience);
        return new EventLog(kafka, eventsTopic, stateTopic, holds);
    }
}
