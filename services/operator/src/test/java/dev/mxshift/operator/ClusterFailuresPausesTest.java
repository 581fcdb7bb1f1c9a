package dev.mxshift.operator;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each failure's stall, measured from the log's append times, is its own and not the next failure's. */
class ClusterFailuresPausesTest {

    private static final long T0 = Instant.parse("2026-12-07T06:00:00Z").toEpochMilli();

    /** An event every 100 ms from {@code fromSecond} to {@code toSecond} (exclusive) after T0. */
    private static void steady(List<Long> stamps, int fromSecond, int toSecond) {
        for (long t = T0 + fromSecond * 1000L; t < T0 + toSecond * 1000L; t += 100) {
            stamps.add(t);
        }
    }

    private static ClusterFailures.Failure failure(String what, int second) {
        return new ClusterFailures.Failure(what, 1, Instant.ofEpochMilli(T0 + second * 1000L), true);
    }

    @Test
    void aStallAfterTheNextFailureIsNotCountedForTheOneBefore() {
        List<Long> stamps = new ArrayList<>();
        steady(stamps, 0, 12);    // a controlled shutdown at 10 s: 2 s of quiet from 12 s
        steady(stamps, 14, 30);   // a SIGSTOP at 30 s: 11 s of quiet from 30 s
        steady(stamps, 41, 60);
        List<ClusterFailures.Pause> pauses = ClusterFailures.pauses(stamps,
                List.of(failure("SIGSTOP", 30), failure("controlled shutdown", 10)));

        assertThat(pauses).extracting(p -> p.failure().what()).as("in the order they happened").containsExactly("controlled shutdown", "SIGSTOP");
        assertThat(pauses.get(0).longestGap().toMillis()).as("the shutdown's own gap, not the SIGSTOP's").isEqualTo(2100);
        assertThat(pauses.get(0).gapStart()).isEqualTo(Instant.ofEpochMilli(T0 + 11_900));
        assertThat(pauses.get(1).longestGap().toMillis()).isEqualTo(11_100);
        assertThat(pauses.get(1).gapStart()).isEqualTo(Instant.ofEpochMilli(T0 + 29_900));
    }

    @Test
    void aStallThatOutlastsTheWindowIsMeasuredWhole() {
        List<Long> stamps = new ArrayList<>();
        steady(stamps, 0, 20);
        steady(stamps, 150, 160);  // quiet from 20 s to 150 s: longer than the 90 s window
        List<ClusterFailures.Pause> pauses = ClusterFailures.pauses(stamps, List.of(failure("kill -9", 19)));
        assertThat(pauses.get(0).longestGap().toMillis()).isEqualTo(130_100);
        assertThat(pauses.get(0).eventsInWindow()).as("events from 14 s to 19 s + 90 s").isEqualTo(60);
    }
}
