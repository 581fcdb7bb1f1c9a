package dev.mxshift.service;

import dev.mxshift.model.topic.TopicCatalogue;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A principal that may not create topics is told which ones are missing and the commands that create them as the catalogue says. */
class TopicCreationRefusedTest {

    @Test
    void theMessageNamesTheTopicsWhyAndTheKafkaTopicsCommandsWithTheCataloguesConfiguration() {
        TopicCatalogue catalogue = TopicCatalogue.defaults();
        String message = TopicProvisioner.cannotCreate("kafka-1.example.net:9093", List.of(catalogue.events(), catalogue.state()), 6, java.util.Optional.empty(),
                new TopicAuthorizationException("Authorization failed."));

        assertThat(message).startsWith("cannot create the topic(s) migration.events, migration.state at kafka-1.example.net:9093:"
                        + " this principal may not create topics (TopicAuthorizationException)")
                .contains("Start the services once with a principal that may")
                .contains("\n  kafka-topics.sh --bootstrap-server kafka-1.example.net:9093 --create --if-not-exists --topic migration.events"
                        + " --partitions 6 --config cleanup.policy=delete --config retention.ms=-1")
                .contains("\n  kafka-topics.sh --bootstrap-server kafka-1.example.net:9093 --create --if-not-exists --topic migration.state"
                        + " --partitions 6 --config cleanup.policy=compact");
    }

    @Test
    void aBrokerThatCannotHoldTheTopicsIsQuotedAndTheCommandsSayHowToChooseTheReplication() {
        String message = TopicProvisioner.cannotCreate("127.0.0.1:9092", List.of(TopicCatalogue.defaults().events()), 12, java.util.Optional.empty(),
                new org.apache.kafka.common.errors.InvalidReplicationFactorException("only 1 broker(s) are registered."));

        assertThat(message).startsWith("cannot create the topic(s) migration.events at 127.0.0.1:9092: only 1 broker(s) are registered."
                        + " Create them as the catalogue says (add --replication-factor N for what the cluster can hold):")
                .contains("\n  kafka-topics.sh --bootstrap-server 127.0.0.1:9092 --create --if-not-exists --topic migration.events --partitions 12");
    }

    @Test
    void aConfiguredReplicationIsInTheCommandsTheAdministratorIsGiven() {
        String message = TopicProvisioner.cannotCreate("kafka-1.example.net:9093", List.of(TopicCatalogue.defaults().events()), 12,
                java.util.Optional.of(new dev.mxshift.model.topic.TopicReplication(3, 2)), new TopicAuthorizationException("Authorization failed."));

        assertThat(message).contains("\n  kafka-topics.sh --bootstrap-server kafka-1.example.net:9093 --create --if-not-exists --topic migration.events"
                + " --partitions 12 --replication-factor 3 --config cleanup.policy=delete --config min.insync.replicas=2 --config retention.ms=-1");
    }
}
