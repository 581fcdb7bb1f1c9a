package dev.mxshift.service;

import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicReplication;
import dev.mxshift.model.topic.TopicSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a service says, and refuses, about the topics it is given (decision 0043). */
class TopicCheckTest {

    private static final TopicCatalogue CATALOGUE = TopicCatalogue.defaults();
    private static final List<TopicSpec> TOPICS = List.of(CATALOGUE.events(), CATALOGUE.state());
    private static final TopicReplication PRODUCTION = new TopicReplication(3, 2);
    private static final String BOOTSTRAP = "kafka-1.example.net:9092";

    private static Map<String, ObservedTopic> both(int partitions, int replicas, int minInsync) {
        return Map.of("migration.events", new ObservedTopic("migration.events", partitions, replicas, minInsync),
                "migration.state", new ObservedTopic("migration.state", partitions, replicas, minInsync));
    }

    @Test
    void topicsAsConfiguredOrBetterAreNoProblem() {
        assertThat(TopicCheck.decide(TOPICS, PRODUCTION, 3, both(12, 3, 2), BOOTSTRAP)).isEmpty();
        assertThat(TopicCheck.decide(TOPICS, PRODUCTION, 5, both(12, 5, 3), BOOTSTRAP)).as("more copies than asked").isEmpty();
        assertThat(TopicCheck.decide(TOPICS, TopicReplication.SINGLE_BROKER, 1, both(12, 1, 1), BOOTSTRAP)).as("the development broker").isEmpty();
        assertThat(TopicCheck.decide(TOPICS, PRODUCTION, 3, Map.of(), BOOTSTRAP)).as("missing topics are created as configured").isEmpty();
    }

    @Test
    void aTopicWithFewerCopiesThanConfiguredIsNamedWithWhatItHasWhatIsConfiguredAndWhatToChange() {
        List<TopicCheck.Problem> problems = TopicCheck.decide(TOPICS, PRODUCTION, 3, both(12, 1, 2), BOOTSTRAP);

        assertThat(problems).extracting(TopicCheck.Problem::topic).containsExactly("migration.events", "migration.state");
        assertThat(problems.get(0).sentence()).isEqualTo("topic migration.events has replication factor 1 but mxshift.topics.replication-factor"
                + " is 3: give each partition 3 replicas with kafka-reassign-partitions.sh --bootstrap-server kafka-1.example.net:9092"
                + " --reassignment-json-file FILE --execute (kafka-topics.sh --alter cannot change it), or, while it holds nothing yet,"
                + " delete it and let the service create it; or set MXSHIFT_TOPIC_REPLICATION=1");
    }

    @Test
    void aLowerMinInsyncReplicasIsNamedWithTheKafkaConfigsCommand() {
        List<TopicCheck.Problem> problems = TopicCheck.decide(List.of(CATALOGUE.events()), PRODUCTION, 3, both(12, 3, 1), BOOTSTRAP);

        assertThat(problems).singleElement().extracting(TopicCheck.Problem::sentence).isEqualTo("topic migration.events has"
                + " min.insync.replicas 1 but mxshift.topics.min-insync-replicas is 2: kafka-configs.sh --bootstrap-server"
                + " kafka-1.example.net:9092 --alter --entity-type topics --entity-name migration.events --add-config min.insync.replicas=2,"
                + " or set MXSHIFT_TOPIC_MIN_ISR=1");
    }

    @Test
    void aPartitionCountOtherThanTheCataloguesIsRefusedEitherWay() {
        assertThat(TopicCheck.decide(List.of(CATALOGUE.state()), TopicReplication.SINGLE_BROKER, 1, both(6, 1, 1), BOOTSTRAP))
                .singleElement().extracting(TopicCheck.Problem::sentence).asString()
                .startsWith("topic migration.state has 6 partitions but the catalogue says 12 (mxshift.topics.partitions):"
                        + " set MXSHIFT_TOPIC_PARTITIONS=6 to use the topics as they are");
        assertThat(TopicCheck.decide(List.of(CATALOGUE.state()), TopicReplication.SINGLE_BROKER, 1, both(24, 1, 1), BOOTSTRAP))
                .as("more partitions than configured moves domains just the same").hasSize(1);
    }

    @Test
    void aFactorAboveTheBrokerCountIsRefusedOnceForTheClusterEvenBeforeAnyTopicExists() {
        List<TopicCheck.Problem> problems = TopicCheck.decide(TOPICS, PRODUCTION, 1, Map.of(), "127.0.0.1:9092");

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.topic()).isNull();
            assertThat(p.sentence()).isEqualTo("mxshift.topics.replication-factor is 3 but the cluster at 127.0.0.1:9092 has 1 broker:"
                    + " set MXSHIFT_TOPIC_REPLICATION=1 (and MXSHIFT_TOPIC_MIN_ISR at most that), or add brokers");
        });
    }

    @Test
    void everyContradictionIsListedInTheOneRefusal() {
        List<TopicCheck.Problem> problems = TopicCheck.decide(TOPICS, PRODUCTION, 3, both(6, 1, 1), BOOTSTRAP);

        assertThat(problems).hasSize(6);
        assertThat(new TopicsContradictConfiguration(BOOTSTRAP, problems).getMessage())
                .startsWith("the topics at kafka-1.example.net:9092 contradict this service's configuration (decision 0043); it will not start:\n  - topic migration.events has 6 partitions")
                .contains("\n  - topic migration.state has min.insync.replicas 1");
    }

    @Test
    void aCommandTakesTheServicesVariablesOrElseTheBrokersDefaults() {
        assertThat(TopicProvisioner.commandReplication(Map.of())).isEmpty();
        assertThat(TopicProvisioner.commandReplication(Map.of("MXSHIFT_TOPIC_REPLICATION", "3", "MXSHIFT_TOPIC_MIN_ISR", "2")))
                .contains(new TopicReplication(3, 2));
        assertThat(TopicProvisioner.commandReplication(Map.of("MXSHIFT_TOPIC_REPLICATION", "3"))).as("min ISR 1 as the services' default")
                .contains(new TopicReplication(3, 1));
        assertThatThrownBy(() -> TopicProvisioner.commandReplication(Map.of("MXSHIFT_TOPIC_REPLICATION", "three")))
                .hasMessage("MXSHIFT_TOPIC_REPLICATION must be a whole number of replicas, got 'three'");
        assertThatThrownBy(() -> TopicProvisioner.commandReplication(Map.of("MXSHIFT_TOPIC_MIN_ISR", "2")))
                .hasMessageStartingWith("MXSHIFT_TOPIC_MIN_ISR is set (2) but MXSHIFT_TOPIC_REPLICATION is not");
        assertThatThrownBy(() -> TopicProvisioner.commandReplication(Map.of("MXSHIFT_TOPIC_REPLICATION", "1", "MXSHIFT_TOPIC_MIN_ISR", "2")))
                .hasMessageStartingWith("MXSHIFT_TOPIC_REPLICATION=1, MXSHIFT_TOPIC_MIN_ISR=2: min.insync.replicas must be between 1 and the replication factor (1)");
    }
}
