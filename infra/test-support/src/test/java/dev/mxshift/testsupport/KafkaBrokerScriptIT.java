package dev.mxshift.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** infra/kafka/kafka: start, start again, stop, stop again; no error, no stray process, ports free. */
class KafkaBrokerScriptIT {

    record Run(int exit, String output) {
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        return KafkaTestCluster.listening(port);
    }

    private static Run run(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", repositoryRoot().resolve("infra/kafka/kafka").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--dir", dir.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static String ourProcesses(Path dir) throws Exception {
        Process pgrep = new ProcessBuilder("pgrep", "-af", dir.toString()).start();
        pgrep.waitFor(10, TimeUnit.SECONDS);
        return new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("kafka.Kafka")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void startAndStopAreIdempotentAndLeaveNothingBehind(@TempDir Path dir) throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        String[] ports = {"--port", String.valueOf(port), "--controller-port", String.valueOf(controllerPort)};

        Run start = run(dir, concat("start", ports));
        assertThat(start.exit()).as(start.output()).isZero();
        assertThat(start.output()).contains("running on 127.0.0.1:" + port);
        Run again = run(dir, concat("start", ports));
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("already running");
        assertThat(run(dir, concat("status", ports)).exit()).isZero();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }

        Run stop = run(dir, concat("stop", ports));
        assertThat(stop.exit()).as(stop.output()).isZero();
        assertThat(stop.output()).contains("stopped");
        Run stopAgain = run(dir, concat("stop", ports));
        assertThat(stopAgain.exit()).as(stopAgain.output()).isZero();
        assertThat(stopAgain.output()).contains("not running");
        assertThat(run(dir, concat("status", ports)).exit()).isEqualTo(3);

        assertThat(listening(port)).as("client port free").isFalse();
        assertThat(listening(controllerPort)).as("controller port free").isFalse();
        assertThat(ourProcesses(dir)).as("stray broker processes").isEmpty();
    }

    @Test
    void badArgumentsSayWhatIsWrong(@TempDir Path dir) throws Exception {
        Run badPort = run(dir, "start", "--port", "80");
        assertThat(badPort.exit()).isNotZero();
        assertThat(badPort.output()).contains("--port must be a number from 1024 to 65534");
        Run unknown = run(dir, "launch");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown command 'launch'").contains("Usage:");
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
