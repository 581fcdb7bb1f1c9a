package dev.mxshift.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * infra/kafka/kafka --cluster 3 through {@link KafkaTestCluster}: an RF3 topic survives kill -9 of the node that
 * leads it (acks=all still succeeds with min.insync.replicas 2), the node comes back into the ISR when restarted,
 * pause/resume stop and continue the process, and stop frees all six ports.
 */
class KafkaClusterIT {

    private static final String TOPIC = "cluster-it";

    @Test
    void replicatedTopicSurvivesAKilledLeaderAndTheClusterStopsCleanly(@TempDir Path dir) throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.start(dir);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(60, TimeUnit.SECONDS);
            waitUntil("all 6 partitions with 3 in sync", Duration.ofSeconds(60), () -> inSync(admin).stream().allMatch(n -> n == 3));
            assertThat(cluster.pid(1)).isPositive();

            int victim = KafkaTestCluster.leaderOfMostPartitions(cluster.bootstrapServers(), TOPIC);
            cluster.kill(victim);
            assertThat(listening(cluster.clientPort(victim))).as("killed node's port").isFalse();

            try (KafkaProducer<String, String> producer = producer(cluster.bootstrapServers())) {
                for (int i = 0; i < 60; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, "k" + i, "v" + i)).get(60, TimeUnit.SECONDS);
                }
            }
            waitUntil("the killed node out of every ISR", Duration.ofSeconds(60), () -> inSync(admin).stream().allMatch(n -> n == 2));
            assertThat(KafkaTestCluster.leadersOf(cluster.bootstrapServers(), TOPIC)).containsEntry(victim, 0);

            cluster.startNode(victim);
            waitUntil("the restarted node back in every ISR", Duration.ofSeconds(120), () -> inSync(admin).stream().allMatch(n -> n == 3));
            assertThat(consumeAll(cluster.bootstrapServers())).hasSize(60);

            int paused = victim % 3 + 1;
            long pid = cluster.pid(paused);
            cluster.pause(paused);
            assertThat(processState(pid)).as("state of paused pid %s", pid).startsWith("T");
            cluster.resume(paused);
            assertThat(processState(pid)).as("state of resumed pid %s", pid).doesNotStartWith("T");

            int stopped = paused % 3 + 1;
            cluster.stopNode(stopped);
            assertThat(listening(cluster.clientPort(stopped))).as("stopped node's port").isFalse();
            cluster.startNode(stopped);
        } finally {
            cluster.close();
        }
        for (int node = 1; node <= 3; node++) {
            assertThat(listening(cluster.clientPort(node))).as("client port of node %s", node).isFalse();
            assertThat(listening(cluster.controllerPort(node))).as("controller port of node %s", node).isFalse();
        }
        assertThat(brokerProcesses(dir)).as("broker processes left").isEmpty();
    }

    private static List<Integer> inSync(Admin admin) {
        try {
            TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
            return description.partitions().stream().map(TopicPartitionInfo::isr).map(List::size).toList();
        } catch (Exception e) {
            return List.of(-1);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new StringSerializer());
    }

    private static Set<String> consumeAll(String bootstrap) {
        Set<String> values = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, 6).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < 60 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static void waitUntil(String what, Duration limit, BooleanSupplier condition) {
        Awaitility.await(what).atMost(limit).pollInterval(Duration.ofMillis(250)).until(condition::getAsBoolean);
    }

    private static boolean listening(int port) {
        return KafkaTestCluster.listening(port);
    }

    private static String processState(long pid) throws IOException {
        // /proc/PID/stat: "pid (comm) STATE ..."; the state letter follows the last ')'.
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
        return stat.substring(stat.lastIndexOf(')') + 2);
    }

    private static List<String> brokerProcesses(Path dir) throws Exception {
        Process pgrep = new ProcessBuilder("pgrep", "-af", dir.toString()).start();
        pgrep.waitFor(10, TimeUnit.SECONDS);
        List<String> lines = new ArrayList<>();
        new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("kafka.Kafka")).forEach(lines::add);
        return lines;
    }
}
