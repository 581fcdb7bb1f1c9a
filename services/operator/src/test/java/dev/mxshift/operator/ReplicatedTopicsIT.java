package dev.mxshift.operator;

import dev.mxshift.lab.LabRun;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.operator.system.Service;
import dev.mxshift.operator.system.ServiceFleet;
import dev.mxshift.testsupport.KafkaTestCluster;
import dev.mxshift.testsupport.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On the three-broker cluster, a service configured for three copies and two in sync (decision 0043): it refuses to
 * start on topics made with one copy, naming the topic, what it has, what is configured and what to change, and exits
 * 1; on topics with three copies and min.insync.replicas 2 it starts.
 */
class ReplicatedTopicsIT {

    /** Away from the demo's instance 0 and the crash tests' 1 and 2. */
    private static final int INSTANCE = 3;
    private static final Path DIR = LabRun.repositoryRoot().resolve("services/operator/target/replicated-topics-it");

    private static KafkaTestCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = KafkaTestCluster.start(DIR.resolve("cluster"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The service's topics, unique to this run: the event log, the state topic, discovery's dead letters. */
    private static List<TopicSpec> topics() {
        TopicSpec events = TestTopics.unique(TopicCatalogue.defaults().events());
        return List.of(events, TopicCatalogue.defaults().state().named(events.name().replace("events", "state")),
                events.named(events.name() + ".dlt.discovery-service"));
    }

    private static ServiceFleet discoveryFor(List<TopicSpec> topics, String run) {
        Map<Service, List<String>> args = new EnumMap<>(Service.class);
        args.put(Service.DISCOVERY, List.of(
                "--spring.cloud.stream.kafka.binder.brokers=" + cluster.bootstrapServers(),
                "--spring.cloud.stream.bindings.events-in-0.destination=" + topics.get(0).name(),
                "--spring.cloud.stream.bindings.events-out-0.destination=" + topics.get(0).name(),
                "--mxshift.events.state-topic=" + topics.get(1).name(),
                "--spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name=" + topics.get(2).name(),
                "--mxshift.topics.replication-factor=3",
                "--mxshift.topics.min-insync-replicas=2"));
        return new ServiceFleet(LabRun.repositoryRoot(), DIR.resolve(run), args, "256m").jvmOptions(ServiceFleet.QUICK_START).stopOnExit();
    }

    @Test
    void aServiceConfiguredForThreeCopiesRefusesTopicsWithOneAndSaysWhatToChange() throws Exception {
        List<TopicSpec> topics = topics();
        TestTopics.create(cluster.bootstrapServers(), topics.toArray(TopicSpec[]::new));
        ServiceFleet fleet = discoveryFor(topics, "one-copy");

        assertThatThrownBy(() -> fleet.start(Service.DISCOVERY, INSTANCE, Duration.ofSeconds(240)))
                .hasMessageContaining("exited at start");
        String log = Files.readString(fleet.log(Service.DISCOVERY, INSTANCE));
        String events = topics.get(0).name();
        assertThat(log).contains("APPLICATION FAILED TO START")
                .contains("contradict this service's configuration (decision 0043); it will not start")
                .contains("topic " + events + " has replication factor 1 but mxshift.topics.replication-factor is 3: give each partition 3"
                        + " replicas with kafka-reassign-partitions.sh --bootstrap-server " + cluster.bootstrapServers())
                .contains("or set MXSHIFT_TOPIC_REPLICATION=1")
                .as("the cluster's brokers default to min.insync.replicas 2, which the topics take").doesNotContain("has min.insync.replicas")
                .contains("topic " + topics.get(1).name() + " has replication factor 1")
                .contains("topic " + topics.get(2).name() + " has replication factor 1");
        assertThat(fleet.exitStatus(Service.DISCOVERY, INSTANCE)).hasValue(1);
    }

    @Test
    void onTopicsWithThreeCopiesAndTwoInSyncItStartsAndCreatesAMissingOneSo() throws Exception {
        List<TopicSpec> topics = topics();
        // the event log and the state topic as an administrator would make them; the dead-letter topic left to the service
        TestTopics.createReplicated(cluster.bootstrapServers(), (short) 3, topics.get(0), topics.get(1));
        ServiceFleet fleet = discoveryFor(topics, "three-copies");
        try {
            fleet.start(Service.DISCOVERY, INSTANCE, Duration.ofSeconds(240));
            assertThat(fleet.alive(Service.DISCOVERY, INSTANCE)).isTrue();
            assertThat(Files.readString(fleet.log(Service.DISCOVERY, INSTANCE))).doesNotContain("contradict this service's configuration");
            String deadLetters = topics.get(2).name();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                TopicDescription created = admin.describeTopics(List.of(deadLetters)).allTopicNames().get(30, TimeUnit.SECONDS).get(deadLetters);
                assertThat(created.partitions()).hasSize(TopicCatalogue.DEFAULT_PARTITIONS).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, deadLetters);
                assertThat(admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                        .get("min.insync.replicas").value()).isEqualTo("2");
            }
        } finally {
            fleet.close();
        }
    }
}
