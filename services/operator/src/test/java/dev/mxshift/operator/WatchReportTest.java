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

    /** The demo's report ends with the zone sweep's findings per tenant, as status shows them (decision 0028, addendum). */
    @Test
    void theReportCountsTheRecordedLegacyReferencesPerTenant() {
        dev.mxshift.model.dns.DomainName contoso = dev.mxshift.model.dns.DomainName.of("contoso.example");
        dev.mxshift.model.testing.DomainHistory history = dev.mxshift.model.testing.CooperativeWorld.migrated(contoso);
        history.add(new dev.mxshift.model.event.LegacyReferencesFound(dev.mxshift.model.testing.EventSamples.legacyReferences(contoso), "sweep"));
        dev.mxshift.model.dns.DomainName quiet = dev.mxshift.model.dns.DomainName.of("quiet.example");

        WatchCommand.Report report = WatchCommand.report(Map.of(contoso, history.state(),
                quiet, dev.mxshift.model.testing.CooperativeWorld.migrated(quiet).state()), 3, true);
        java.io.StringWriter text = new java.io.StringWriter();
        WatchCommand.print(report, 0, false, new java.io.PrintWriter(text, true));

        String tenant = history.state().tenant().value();
        assertThat(report.legacyReferencesByTenant()).containsOnlyKeys(tenant);
        assertThat(report.legacyReferencesByTenant().get(tenant)).isEqualTo(new LegacyReferenceCounts(1, 2, 1));
        assertThat(text.toString()).contains(LegacyReferenceCounts.HEADING + System.lineSeparator()
                + LegacyReferenceCounts.line(tenant, new LegacyReferenceCounts(1, 2, 1)));
        assertThat(LegacyReferenceCounts.line("tenant-1", new LegacyReferenceCounts(1, 2, 1))).contains("2 in 1 domain (1 certain, 1 likely)");
    }
}
