package dev.mxshift.connector;

import java.time.Duration;

/**
 * How hard mxshift may call one connector type's provider, declared by the type's {@link ConnectorFactory} in plain
 * values (in the spirit of octoDNS's providers, which state their own limits): the engine enforces them around every
 * instance, and never knows a provider by name. An instance's settings {@code max-concurrent} and
 * {@code max-concurrent-writes} override the two bounds on calls in flight.
 *
 * @param requestsPerPeriod   the provider's published rate: at most this many requests in each {@code period}
 * @param period              the period of that rate (Cloudflare: 1,200 requests per 5 minutes; Route 53: 5 per second)
 * @param maxConcurrent       calls in flight at once, reads and writes together
 * @param maxConcurrentWrites writes in flight at once, at most {@code maxConcurrent} (1 for a provider that takes one
 *                            write at a time, such as PowerDNS on SQLite)
 * @param attempts            tries of a call that failed retryably, the first included (1: never retried)
 * @param firstBackoff        the wait before the second try; later waits grow from it
 */
public record ProviderLimits(int requestsPerPeriod, Duration period, int maxConcurrent, int maxConcurrentWrites, int attempts,
                             Duration firstBackoff) {

    public ProviderLimits {
        if (requestsPerPeriod < 1 || period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a rate limit is at least 1 request in a positive period, got " + requestsPerPeriod + " per " + period);
        }
        if (maxConcurrent < 1 || maxConcurrentWrites < 1 || maxConcurrentWrites > maxConcurrent) {
            throw new IllegalArgumentException("calls in flight must be at least 1 and writes in flight between 1 and the calls, got "
                    + maxConcurrent + " calls and " + maxConcurrentWrites + " writes");
        }
        if (attempts < 1 || firstBackoff == null || firstBackoff.isNegative()) {
            throw new IllegalArgumentException("a call is tried at least once, with a backoff of zero or more, got " + attempts
                    + " attempts and a first backoff of " + firstBackoff);
        }
    }

    /**
     * For a server that publishes no limit (PowerDNS, BIND, a hoster's own platform): generous, still bounded. What a
     * factory that declares nothing gets; a connector for a provider that publishes a limit must declare it.
     */
    public static ProviderLimits selfHosted() {
        return new ProviderLimits(500, Duration.ofSeconds(1), 32, 32, 4, Duration.ofMillis(200));
    }
}
