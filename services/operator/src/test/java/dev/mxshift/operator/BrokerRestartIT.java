package dev.mxshift.operator;

import dev.mxshift.lab.LabRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker stops mid-run and starts again (same data): the services reconnect, their open transactions abort, and
 * every domain still ends where it must, once ({@link DisruptedMigration}). The test runs its own broker (the script
 * operators use, {@code infra/kafka/kafka}) so that stopping it disturbs no other test.
 */
class BrokerRestartIT {

    private static final int PORT = 19292;
    private static final Path DIR = LabRun.repositoryRoot().resolve("services/operator/target/restart-kafka");

    @BeforeAll
    static void brokerUp() throws Exception {
        kafka("stop");
        kafka("start", "--fresh");
    }

    @AfterAll
    static void brokerDown() throws Exception {
        kafka("stop");
    }

    @Test
    void aBrokerRestartMidRunLosesNothing() throws Exception {
        try (DisruptedMigration run = new DisruptedMigration("broker-restart", 75, "127.0.0.1:" + PORT, 1)) {
            run.awaitProgress(150, Duration.ofSeconds(120)); // mid-run: domains on the move when the broker goes
            kafka("stop");
            // A bounded hold is the disturbance itself here, not a wait for a result: the broker stays away for 3 s
            // while the services run on (checked throughout: nothing answers on its port), then comes back.
            await("the broker stays down").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !listening(PORT));
            kafka("start");
            run.settleAndCheck(Duration.ofSeconds(600));
        }
    }

    private static void kafka(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", LabRun.repositoryRoot().resolve("infra/kafka/kafka").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--port", Integer.toString(PORT), "--dir", DIR.toString()));
        // To a file, not the test JVM's console (which Failsafe reads): target/restart-kafka.log.
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(DIR.resolveSibling("restart-kafka.log").toFile())).start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(process.exitValue()).as("%s (see %s)", command, DIR.resolveSibling("restart-kafka.log")).isZero();
    }

    private static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }
}
