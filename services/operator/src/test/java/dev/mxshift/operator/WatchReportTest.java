package dev.mxshift.operator;

import dev.mxshift.lab.BogusMonitor;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * watch's report carries what the bogus monitor saw beyond its SERVFAILs: its rounds (fewer rounds than seconds means a
 * zone was not asked every second) and the queries no resolver answered (a clean count with many of them proves little).
 */
class WatchReportTest {

    @Test
    void theReportGivesTheMonitorsRoundsAndUnansweredQueriesAndAResolverThatNeverAnsweredIsNoSERVFAIL() throws Exception {
        int closedPort;
        try (DatagramSocket probe = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        BogusMonitor monitor = new BogusMonitor("127.0.0.1", closedPort, Duration.ofSeconds(60)).add("contoso.example").start();
        org.awaitility.Awaitility.await("two rounds of the monitor").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> monitor.report().rounds() >= 2);

        WatchCommand.Report report = WatchCommand.report(Map.of(), 3, true, monitor.stop());

        WatchCommand.Dnssec seen = report.dnssec();
        assertThat(seen.monitorRounds()).isGreaterThanOrEqualTo(2);
        // per round and zone: its SOA, its MX and a name never asked before
        assertThat(seen.monitorQueries()).isEqualTo(3 * seen.monitorRounds());
        assertThat(seen.monitorUnanswered()).isEqualTo(seen.monitorQueries());
        assertThat(seen.monitorServfails()).isZero();
        assertThat(report.success()).isTrue();
    }
}
