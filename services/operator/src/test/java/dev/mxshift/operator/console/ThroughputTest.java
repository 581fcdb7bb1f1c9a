package dev.mxshift.operator.console;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.workflow.WorkflowStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Completions and stops over time, from the event log: each counted once however often its event was written, a tenant's
 * chart counting its own domains only, buckets that fit the run on a screen, and the expected finish at the current rate.
 */
class ThroughputTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:30Z");

    private static DomainHistory requested(String name, String tenant) {
        DomainName d = DomainName.of(name);
        DomainHistory h = new DomainHistory(d, TenantId.of(tenant));
        h.add(new MigrationRequested(ProviderRef.of("powerdns-lab", name), Fixtures.targetHostOf(d), "w1", List.of(), "inventory", false));
        return h;
    }

    private static DomainHistory migrated(String name, String tenant) {
        DomainHistory h = requested(name, tenant);
        while (h.state().status() != WorkflowStatus.COMPLETED) {
            h.add(CooperativeWorld.successorOf(h.state()));
        }
        return h;
    }

    private static DomainHistory blocked(String name, String tenant) {
        DomainHistory h = requested(name, tenant);
        h.add(CooperativeWorld.successorOf(h.state()));
        h.add(new PreflightBlocked(List.of(new Finding("ZONE_INSECURE", "unsigned", "sign it"))));
        return h;
    }

    @Test
    void theReaderCountsEachCompletionAndStopOnceAndIgnoresRepeatsAsTheWorkflowDoes() {
        DomainHistory done = migrated("done-a.example", "t-a");
        DomainHistory stopped = blocked("stopped-b.example", "t-b");
        List<EventEnvelope> log = new ArrayList<>(done.events());
        log.addAll(stopped.events());
        // the completion written again (a producer's retry, a replayed dead letter), and a stale stop: neither counts twice
        log.add(done.last());
        log.add(stopped.last());

        Throughput.Reader reader = new Throughput.Reader();
        log.forEach(reader::accept);

        assertThat(reader.outcomes()).containsExactly(
                new Throughput.Outcome(done.last().occurredAt(), "t-a", Throughput.Kind.COMPLETED),
                new Throughput.Outcome(stopped.last().occurredAt(), "t-b", Throughput.Kind.STOPPED));
    }

    @Test
    void aTenantsChartCountsItsOwnDomainsOnlyInMinuteBucketsForAShortRun() {
        List<Throughput.Outcome> outcomes = List.of(
                new Throughput.Outcome(Instant.parse("2026-12-06T11:50:10Z"), "t-a", Throughput.Kind.STOPPED),
                new Throughput.Outcome(Instant.parse("2026-12-06T11:55:20Z"), "t-a", Throughput.Kind.COMPLETED),
                new Throughput.Outcome(Instant.parse("2026-12-06T11:55:40Z"), "t-b", Throughput.Kind.COMPLETED),
                new Throughput.Outcome(Instant.parse("2026-12-06T11:59:59Z"), "t-a", Throughput.Kind.COMPLETED));

        Throughput.Chart chart = Throughput.chart(outcomes, "t-a"::equals, 0, NOW);

        assertThat(chart.bucketSeconds()).isEqualTo(60);
        assertThat(chart.from()).isEqualTo(Instant.parse("2026-12-06T11:50:00Z"));
        assertThat(chart.buckets()).hasSize(11);
        assertThat(chart.completed()).as("t-b's completion is not t-a's").isEqualTo(2);
        assertThat(chart.stopped()).isEqualTo(1);
        assertThat(chart.buckets().get(0)).isEqualTo(new Throughput.Bucket(Instant.parse("2026-12-06T11:50:00Z"), 0, 1));
        assertThat(chart.buckets().get(5)).isEqualTo(new Throughput.Bucket(Instant.parse("2026-12-06T11:55:00Z"), 1, 0));
        assertThat(chart.buckets().get(9).completed()).isEqualTo(1);
        assertThat(chart.buckets().get(10)).as("the current minute, empty so far")
                .isEqualTo(new Throughput.Bucket(Instant.parse("2026-12-06T12:00:00Z"), 0, 0));
        assertThat(chart.expectedFinish()).as("nothing left").isNull();

        Throughput.Chart all = Throughput.chart(outcomes, t -> true, 0, NOW);
        assertThat(all.completed()).isEqualTo(3);
        assertThat(all.buckets().get(5).completed()).isEqualTo(2);
    }

    @Test
    void aRunOfDaysGetsWiderBucketsAndStillFitsOnAScreen() {
        List<Throughput.Outcome> outcomes = new ArrayList<>();
        for (int hour = 0; hour < 72; hour++) {
            outcomes.add(new Throughput.Outcome(NOW.minusSeconds(3600L * hour + 1), "t-a", Throughput.Kind.COMPLETED));
        }

        Throughput.Chart chart = Throughput.chart(outcomes, t -> true, 0, NOW);

        assertThat(chart.bucketSeconds()).isEqualTo(3 * 3600);
        assertThat(chart.buckets()).hasSizeLessThanOrEqualTo(Throughput.MAX_BUCKETS);
        assertThat(chart.buckets().stream().mapToInt(Throughput.Bucket::completed).sum()).as("every completion in a bucket").isEqualTo(72);
        assertThat(chart.buckets().get(chart.buckets().size() - 1).start()).isEqualTo(Instant.parse("2026-12-06T12:00:00Z"));
    }

    @Test
    void theExpectedFinishIsTheDomainsLeftAtTheRateOfTheLastBuckets() {
        List<Throughput.Outcome> outcomes = new ArrayList<>();
        // an hour ago a burst the current rate leaves out; then 6 completions in the last 6 minutes (11:55:00 to now)
        for (int i = 0; i < 50; i++) {
            outcomes.add(new Throughput.Outcome(Instant.parse("2026-12-06T11:00:10Z"), "t-a", Throughput.Kind.COMPLETED));
        }
        for (int minute = 55; minute < 60; minute++) {
            outcomes.add(new Throughput.Outcome(Instant.parse("2026-12-06T11:" + minute + ":05Z"), "t-a", Throughput.Kind.COMPLETED));
        }
        outcomes.add(new Throughput.Outcome(Instant.parse("2026-12-06T12:00:05Z"), "t-a", Throughput.Kind.COMPLETED));

        Throughput.Chart chart = Throughput.chart(outcomes, t -> true, 11, NOW);

        assertThat(chart.bucketSeconds()).isEqualTo(300);
        // the last six 5-minute buckets: 11:35 to now (25.5 minutes), with the 6 recent completions
        assertThat(chart.ratePerHour()).isCloseTo(6 * 3600.0 / (25 * 60 + 30), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(chart.remaining()).isEqualTo(11);
        assertThat(chart.expectedFinish()).isEqualTo(NOW.plusSeconds((long) Math.ceil(11 / chart.ratePerHour() * 3600)));
        assertThat(Throughput.chart(outcomes, t -> true, 11, NOW.plusSeconds(6 * 3600)).expectedFinish())
                .as("nothing completed lately: no estimate").isNull();
    }
}
