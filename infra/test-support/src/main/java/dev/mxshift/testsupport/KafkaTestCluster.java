package dev.mxshift.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A three-node KRaft cluster on 127.0.0.1, run by {@code infra/kafka/kafka --cluster 3} (each node broker and
 * controller, replication 3 and {@code min.insync.replicas} 2 by default), for tests of what a replicated cluster
 * does when a broker dies, shuts down or stops answering. Nodes are numbered 1 to 3; node i's client port is
 * {@code basePort + 2(i-1)}.
 */
public final class KafkaTestCluster implements AutoCloseable {

    public static final int NODES = 3;
    private static final String HOST = "127.0.0.1";
    private static final long SCRIPT_TIMEOUT_SECONDS = 240;

    private final Path script;
    private final Path directory;
    private final int basePort;
    private boolean closed;

    private KafkaTestCluster(Path script, Path directory, int basePort) {
        this.script = script;
        this.directory = directory;
        this.basePort = basePort;
    }

    /** Starts a fresh cluster with its data under {@code directory}, on six free consecutive ports. */
    public static KafkaTestCluster start(Path directory) {
        KafkaTestCluster cluster = new KafkaTestCluster(script(), directory, freePortRange(2 * NODES));
        cluster.run("start", "--fresh");
        return cluster;
    }

    public String bootstrapServers() {
        return String.join(",", IntStream.rangeClosed(1, NODES).mapToObj(i -> HOST + ":" + clientPort(i)).toList());
    }

    public int clientPort(int node) {
        return basePort + 2 * (checked(node) - 1);
    }

    public int controllerPort(int node) {
        return clientPort(node) + 1;
    }

    public Path directory() {
        return directory;
    }

    /** The node's broker process id. */
    public long pid(int node) {
        return Long.parseLong(run("pid", "--node", String.valueOf(checked(node))).strip());
    }

    /** kill -9: a crash, no controlled shutdown. Returns when the process is gone. */
    public void kill(int node) {
        run("kill", "--node", String.valueOf(checked(node)));
    }

    /** Starts a stopped or killed node and returns once it serves clients. */
    public void startNode(int node) {
        run("start-node", "--node", String.valueOf(checked(node)));
    }

    /** Controlled shutdown (SIGTERM); returns once the node's ports are free. */
    public void stopNode(int node) {
        run("stop-node", "--node", String.valueOf(checked(node)));
    }

    /** SIGSTOP: the node stops answering while its sockets stay open, as behind a network partition. */
    public void pause(int node) {
        run("pause", "--node", String.valueOf(checked(node)));
    }

    public void resume(int node) {
        run("resume", "--node", String.valueOf(checked(node)));
    }

    /** For each node, how many of the topic's partitions it leads (0 for a node that leads none). */
    public static Map<Integer, Integer> leadersOf(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            Map<Integer, Integer> counts = new TreeMap<>();
            IntStream.rangeClosed(1, NODES).forEach(i -> counts.put(i, 0));
            for (TopicPartitionInfo partition : description.partitions()) {
                if (partition.leader() != null) {
                    counts.merge(partition.leader().id(), 1, Integer::sum);
                }
            }
            return counts;
        } catch (Exception e) {
            throw new IllegalStateException("could not describe " + topic + " at " + bootstrapServers, e);
        }
    }

    /** The node that leads most of the topic's partitions (the lowest id on a tie). */
    public static int leaderOfMostPartitions(String bootstrapServers, String topic) {
        int best = 1;
        int most = -1;
        for (Map.Entry<Integer, Integer> entry : leadersOf(bootstrapServers, topic).entrySet()) {
            if (entry.getValue() > most) {
                best = entry.getKey();
                most = entry.getValue();
            }
        }
        return best;
    }

    /** Stops every node (a paused one is resumed first) and waits until all six ports are free. */
    @Override
    public synchronized void close() {
        if (!closed) {
            run("stop");
            closed = true;
        }
    }

    private String run(String command, String... args) {
        List<String> line = new ArrayList<>(List.of("bash", script.toString(), command, "--cluster", String.valueOf(NODES),
                "--port", String.valueOf(basePort), "--dir", directory.toString()));
        line.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            // Read before waiting: the script's output must not fill the pipe and block it.
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", line) + " did not finish within " + SCRIPT_TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed (exit " + process.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + line, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + line, e);
        }
    }

    private static int checked(int node) {
        if (node < 1 || node > NODES) {
            throw new IllegalArgumentException("node must be 1 to " + NODES + ", got " + node);
        }
        return node;
    }

    static Path script() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("infra/kafka/kafka"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("infra/kafka/kafka not found above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("infra/kafka/kafka");
    }

    /** The first of {@code count} consecutive free loopback ports, chosen at random from 20000-59999. */
    static int freePortRange(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 60_000 - count);
            if (IntStream.range(base, base + count).allMatch(KafkaTestCluster::free)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports on " + HOST + " after 100 tries");
    }

    /** Whether something accepts connections on the loopback port. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean free(int port) {
        if (listening(port)) {
            return false;
        }
        try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException bindFailed) {
            return false;
        }
    }
}
