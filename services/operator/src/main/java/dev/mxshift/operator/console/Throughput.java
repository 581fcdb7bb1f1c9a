package dev.mxshift.operator.console;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.WorkflowStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Completions and stops over time, from the event log (not from what a page happened to see): a {@link Reader} follows the
 * log and notes each time a domain reached COMPLETED or stopped; {@link #chart} counts them in buckets of a width that fits
 * the whole run on a screen, with the current rate and the expected finish at it. Pure: the reading of the log and the
 * counting; the API feeds it the events and says whose domains a token may see.
 */
public final class Throughput {

    /** The widths a bucket may have, smallest first: the smallest that puts the whole run in {@link #MAX_BUCKETS} is used. */
    static final List<Duration> WIDTHS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(7));
    /** At most this many bars: a laptop's screen shows them side by side. */
    public static final int MAX_BUCKETS = 60;
    /** The current rate is that of the last this-many buckets (the current one, still filling, included). */
    public static final int RECENT_BUCKETS = 6;

    /** What happened to a domain at a time: it completed, or it stopped and waits for a person. */
    public enum Kind { COMPLETED, STOPPED }

    /** One completion or stop, with the domain's tenant (a tenant's token counts its own only). */
    public record Outcome(Instant at, String tenant, Kind kind) {
    }

    /** A bucket: from {@code start}, for the chart's width, how many completed and how many stopped. */
    public record Bucket(Instant start, int completed, int stopped) {
    }

    /**
     * The chart: buckets of {@code bucketSeconds} from {@code from} to now, the totals, the completions per hour of the
     * last {@link #RECENT_BUCKETS} buckets, how many domains are left (neither completed, stopped nor rolled back or
     * cancelled), and when they would be done at that rate (null where nothing completed lately, or nothing is left).
     */
    public record Chart(Instant from, long bucketSeconds, List<Bucket> buckets, int completed, int stopped, double ratePerHour, int remaining,
                        Instant expectedFinish) {
    }

    private Throughput() {
    }

    /**
     * Follows the event log in its order, an event at a time, and keeps the outcomes. Per domain it remembers only its last
     * applied sequence and state (a few bytes, not the whole state), so it follows a run of any size. An event counts when
     * it is the next of its domain's sequence, as for the workflow ({@link dev.mxshift.model.workflow.EventVerdict}): a
     * repeat, or an operator's action that lost the race, is not a second completion. The state after an event is the one
     * it carries (event-carried state).
     */
    public static final class Reader {

        private record Last(long sequence, WorkflowStatus status) {
        }

        private final Map<DomainName, Last> last = new HashMap<>();
        private final List<Outcome> outcomes = new ArrayList<>();

        public void accept(EventEnvelope event) {
            Last before = last.get(event.domain());
            if (event.sequence() != (before == null ? 1 : before.sequence() + 1)) {
                return;
            }
            WorkflowStatus after = event.state().status();
            last.put(event.domain(), new Last(event.sequence(), after));
            WorkflowStatus was = before == null ? null : before.status();
            if (after == WorkflowStatus.COMPLETED && was != WorkflowStatus.COMPLETED) {
                outcomes.add(new Outcome(event.occurredAt(), event.tenant().value(), Kind.COMPLETED));
            } else if (after.stopped() && (was == null || !was.stopped())) {
                outcomes.add(new Outcome(event.occurredAt(), event.tenant().value(), Kind.STOPPED));
            }
        }

        /** The outcomes so far, in log order. */
        public List<Outcome> outcomes() {
            return List.copyOf(outcomes);
        }
    }

    /**
     * The chart of the outcomes of the tenants {@code visible} accepts, up to {@code now}, with {@code remaining} domains
     * left to go. Buckets start at a multiple of their width (since the epoch), so that two readings line up.
     */
    public static Chart chart(List<Outcome> all, Predicate<String> visible, int remaining, Instant now) {
        List<Outcome> outcomes = all.stream().filter(o -> visible.test(o.tenant())).toList();
        Instant first = outcomes.stream().map(Outcome::at).min(Instant::compareTo).orElse(now);
        if (first.isAfter(now)) {
            first = now;
        }
        Duration span = Duration.between(first, now);
        Duration width = WIDTHS.stream().filter(w -> span.toSeconds() / w.toSeconds() < MAX_BUCKETS - 1).findFirst()
                .orElse(WIDTHS.get(WIDTHS.size() - 1));
        long w = width.toSeconds();
        long start = Math.floorDiv(first.getEpochSecond(), w) * w;
        int count = (int) Math.min(Math.floorDiv(now.getEpochSecond() - start, w) + 1, MAX_BUCKETS);
        // a run longer than the widest buckets: the latest ones
        start = Math.floorDiv(now.getEpochSecond(), w) * w - (count - 1) * w;
        int[] completed = new int[count];
        int[] stopped = new int[count];
        int completedAll = 0;
        int stoppedAll = 0;
        for (Outcome o : outcomes) {
            completedAll += o.kind() == Kind.COMPLETED ? 1 : 0;
            stoppedAll += o.kind() == Kind.STOPPED ? 1 : 0;
            long i = Math.floorDiv(o.at().getEpochSecond() - start, w);
            if (i < 0 || i >= count) {
                continue;
            }
            if (o.kind() == Kind.COMPLETED) {
                completed[(int) i]++;
            } else {
                stopped[(int) i]++;
            }
        }
        List<Bucket> buckets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            buckets.add(new Bucket(Instant.ofEpochSecond(start + i * w), completed[i], stopped[i]));
        }
        double perHour = ratePerHour(buckets, w, now);
        Instant finish = perHour > 0 && remaining > 0 ? now.plusSeconds((long) Math.ceil(remaining / perHour * 3600)) : null;
        return new Chart(Instant.ofEpochSecond(start), w, buckets, completedAll, stoppedAll, perHour, remaining, finish);
    }

    /**
     * Completions per hour over the last {@link #RECENT_BUCKETS} buckets, from the start of the first of them to now (the
     * current bucket counts for the part of it that has passed). The page does the same with the buckets it extends.
     */
    static double ratePerHour(List<Bucket> buckets, long bucketSeconds, Instant now) {
        if (buckets.isEmpty()) {
            return 0;
        }
        List<Bucket> recent = buckets.subList(Math.max(0, buckets.size() - RECENT_BUCKETS), buckets.size());
        long seconds = Math.max(1, now.getEpochSecond() - recent.get(0).start().getEpochSecond());
        int done = recent.stream().mapToInt(Bucket::completed).sum();
        return done * 3600.0 / seconds;
    }
}
