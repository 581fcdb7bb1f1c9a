package dev.mxshift.operator;

import dev.mxshift.discovery.inventory.ImportCommand;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.testsupport.InJvmKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands on a broker nothing has touched yet (a real one, started for this test, with automatic topic creation
 * off as in the lab and in production): {@code import} creates the event log as the catalogue says and imports at
 * once, {@code status} and {@code history} create the state topics and answer; once the broker is gone, both fail
 * within seconds and say what to run, instead of waiting a minute for a topic's metadata.
 */
class FreshBrokerCommandsIT {

    private static final Duration SECONDS = Duration.ofSeconds(20);

    @Test
    void importAndStatusOnAFreshBrokerCreateTheCataloguesTopicsAndFailWithinSecondsWhenItIsGone() throws Exception {
        Path inventory = Files.createTempFile("fresh-broker", ".csv");
        Files.writeString(inventory, """
                tenant,domain,connector,zone
                tenant-contoso,contoso.example,powerdns-lab,contoso.example
                tenant-fabrikam,fabrikam.example,powerdns-lab,fabrikam.example
                """);
        String bootstrap;
        try (InJvmKafkaBroker broker = InJvmKafkaBroker.start()) {
            bootstrap = broker.bootstrapServers();
            KafkaClientSettings kafka = KafkaClientSettings.plaintext(bootstrap);

            long start = System.nanoTime();
            ImportCommand.Result imported = ImportCommand.importFiles(List.of(inventory), kafka, TopicCatalogue.EVENTS, "ops");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("FreshBrokerCommandsIT: import on a fresh broker took " + took.toMillis() + " ms");
            assertThat(imported.brokerFailure()).isNull();
            assertThat(imported.imported()).isEqualTo(2);
            assertThat(took).isLessThan(SECONDS);

            OperatorCli status = run("status", "--bootstrap", bootstrap);
            assertThat(status.code()).as(status.all()).isZero();
            // no service has projected a state yet
            assertThat(status.out()).startsWith("0 domain(s)");
            OperatorCli history = run("history", "contoso.example", "--bootstrap", bootstrap);
            assertThat(history.code()).as(history.all()).isZero();
            assertThat(history.out()).contains("MigrationRequested");

            try (Admin admin = new KafkaClients(kafka).admin()) {
                Map<String, TopicDescription> topics = admin.describeTopics(List.of(TopicCatalogue.EVENTS, TopicCatalogue.STATE,
                        TopicCatalogue.GATE_HOLDS)).allTopicNames().get(30, TimeUnit.SECONDS);
                assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(TopicCatalogue.DEFAULT_PARTITIONS));
                Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalogue.EVENTS),
                        new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalogue.STATE))).all().get(30, TimeUnit.SECONDS);
                assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalogue.EVENTS)).get("retention.ms").value())
                        .as("the system of record is kept forever").isEqualTo("-1");
                assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalogue.STATE)).get("cleanup.policy").value())
                        .isEqualTo("compact");
            }
        }

        long start = System.nanoTime();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new ImportCommand()).setErr(new PrintWriter(err, true)).execute(inventory.toString(), "--bootstrap", bootstrap);
        ImportCommand.Result gone = ImportCommand.importFiles(List.of(inventory), KafkaClientSettings.plaintext(bootstrap), TopicCatalogue.EVENTS, "ops");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("FreshBrokerCommandsIT: two imports against the stopped broker took " + took.toMillis() + " ms");
        assertThat(code).isEqualTo(3);
        assertThat(gone.brokerFailure()).contains("Kafka did not answer at " + bootstrap).contains("./mxshift kafka start");
        assertThat(took).isLessThan(SECONDS.multipliedBy(2));

        start = System.nanoTime();
        OperatorCli status = run("status", "--bootstrap", bootstrap);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SECONDS);
        assertThat(status.code()).as(status.all()).isEqualTo(3);
        assertThat(status.err()).contains("Kafka did not answer at " + bootstrap).contains("--bootstrap");
        Files.deleteIfExists(inventory);
    }

    /**
     * A broker that refuses to create the topics (here its default replication factor is larger than the one broker it
     * has, as a cluster with brokers down would): the commands say so within seconds, with the commands that create them.
     */
    @Test
    void aBrokerThatCannotCreateTheTopicsIsReportedWithinSecondsWithTheCommandsToRun() throws Exception {
        Path inventory = Files.createTempFile("refusing-broker", ".csv");
        Files.writeString(inventory, "tenant,domain,connector,zone\ntenant-contoso,contoso.example,powerdns-lab,contoso.example\n");
        try (InJvmKafkaBroker broker = InJvmKafkaBroker.start(Map.of("default.replication.factor", "3"))) {
            String bootstrap = broker.bootstrapServers();
            long start = System.nanoTime();
            ImportCommand.Result refused = ImportCommand.importFiles(List.of(inventory), KafkaClientSettings.plaintext(bootstrap),
                    TopicCatalogue.EVENTS, "ops");
            OperatorCli status = run("status", "--bootstrap", bootstrap);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("FreshBrokerCommandsIT: import and status on a broker that cannot create topics took " + took.toMillis()
                    + " ms\n" + status.err());
            assertThat(took).isLessThan(SECONDS);
            assertThat(refused.exitCode()).isEqualTo(3);
            assertThat(refused.brokerFailure()).startsWith("cannot create the topic(s) migration.events at " + bootstrap)
                    .contains("kafka-topics.sh --bootstrap-server " + bootstrap + " --create --if-not-exists --topic migration.events"
                            + " --partitions 12 --config cleanup.policy=delete --config retention.ms=-1");
            assertThat(status.code()).isEqualTo(3);
            assertThat(status.err()).contains("cannot create the topic(s) migration.events, migration.state, migration.state.gate-holds")
                    .contains("--topic migration.state --partitions 12 --config cleanup.policy=compact");
        } finally {
            Files.deleteIfExists(inventory);
        }
    }

    private static OperatorCli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OperatorCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new OperatorCli(code, out.toString(), err.toString());
    }
}
