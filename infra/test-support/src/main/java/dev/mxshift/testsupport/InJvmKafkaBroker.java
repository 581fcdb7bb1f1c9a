package dev.mxshift.testsupport;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real single-node KRaft broker inside the test JVM: Apache Kafka's own {@code KafkaRaftServer}, formatted
 * with Kafka's {@code StorageTool}, configured like {@code infra/kafka/kafka} and listening on 127.0.0.1 only.
 * (spring-kafka-test's {@code EmbeddedKafkaKraftBroker} pre-binds its ports on every interface, which the lab's
 * loopback-only rule forbids; see docs/decisions/0003.)
 */
public final class InJvmKafkaBroker implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final Path directory;
    private final int port;
    private final KafkaRaftServer server;

    private InJvmKafkaBroker(Path directory, int port, KafkaRaftServer server) {
        this.directory = directory;
        this.port = port;
        this.server = server;
    }

    public static InJvmKafkaBroker start() {
        return start(java.util.Map.of());
    }

    /** A broker with some of its properties changed (a test of how the clients meet a broker configured otherwise). */
    public static InJvmKafkaBroker start(java.util.Map<String, String> overrides) {
        try {
            Path directory = Files.createTempDirectory("mxshift-kafka-");
            int port = freePort();
            int controllerPort = freePort();
            Properties props = properties(directory, port, controllerPort);
            overrides.forEach(props::setProperty);
            Path file = directory.resolve("server.properties");
            try (var out = Files.newOutputStream(file)) {
                props.store(out, "in-JVM test broker");
            }
            ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
            int formatted = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()},
                    new PrintStream(formatLog, true, StandardCharsets.UTF_8));
            if (formatted != 0) {
                throw new IllegalStateException("formatting the in-JVM broker's storage failed: " + formatLog.toString(StandardCharsets.UTF_8));
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
            server.startup();
            InJvmKafkaBroker broker = new InJvmKafkaBroker(directory, port, server);
            broker.awaitListening();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the in-JVM broker", e);
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + directory, e);
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 200);
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        close();
        throw new IllegalStateException("the in-JVM broker did not listen on " + bootstrapServers() + " within 60 s");
    }

    private static Properties properties(Path directory, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", directory.resolve("data").toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "12");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "12");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }
}
