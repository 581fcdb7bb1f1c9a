package dev.mxshift.discovery.dns;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Query latencies in 0.1 ms buckets up to 10 s, for percentiles without keeping every sample (a 100,000-domain run
 * makes about a million queries).
 */
public final class LatencyHistogram {

    private static final int BUCKETS = 100_001;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void record(long nanos) {
        counts.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, nanos / 100_000)));
    }

    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** The latency in milliseconds below which the given fraction of samples fall (the bucket's upper edge). */
    public double percentileMillis(double fraction) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return (i + 1) / 10.0;
            }
        }
        return BUCKETS / 10.0;
    }
}
