package dev.mxshift.dnspush.engine;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.ProviderLimits;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ListedZone;
import dev.mxshift.connector.ZoneLister;
import dev.mxshift.connector.ZoneReader;
import dev.mxshift.connector.ZoneSigning;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps one connector instance in Resilience4j, once for all connectors: a rate limiter at the provider's published
 * limit, retries with exponential backoff and jitter on retryable failures only (a conflict or a refused credential
 * is never retried), a circuit breaker that stops hammering a provider that keeps failing, and a bulkhead on calls
 * in flight, with a second one on writes in flight (a provider that takes one write at a time, such as PowerDNS on
 * SQLite, still serves reads alongside it: the read of the next change's compare overlaps this change's write). Each
 * is named after the connector, so their metrics are per instance.
 */
public final class ResilientConnector implements DnsConnector, ZoneReader, ZoneLister {

    /**
     * The limits of one instance. {@code maxConcurrent} bounds all calls in flight, {@code maxConcurrentWrites} the
     * writes among them (at most {@code maxConcurrent} in effect). {@code writePermitWait} bounds how long a write
     * waits for a rate-limit permit: it follows the read it was compared against, and past this bound that read is
     * too old to write on, so it is read again (decision 0013, addendum 2026-12-06).
     */
    public record Limits(int requestsPerPeriod, Duration period, int attempts, Duration firstBackoff, int maxConcurrent,
                         float failureRatePercent, Duration openFor, int maxConcurrentWrites, Duration writePermitWait) {

        /** How long a write may wait for its permit after its read, unless told otherwise. */
        public static final Duration WRITE_PERMIT_WAIT = Duration.ofSeconds(10);

        public Limits {
            if (writePermitWait == null || writePermitWait.isNegative() || writePermitWait.isZero()) {
                throw new IllegalArgumentException("the wait of a write for its rate-limit permit must be positive, got " + writePermitWait);
            }
        }

        /** With the usual bound on a write's wait for its permit. */
        public Limits(int requestsPerPeriod, Duration period, int attempts, Duration firstBackoff, int maxConcurrent,
                      float failureRatePercent, Duration openFor, int maxConcurrentWrites) {
            this(requestsPerPeriod, period, attempts, firstBackoff, maxConcurrent, failureRatePercent, openFor, maxConcurrentWrites, WRITE_PERMIT_WAIT);
        }

        /** Writes bounded only by the calls in flight. */
        public Limits(int requestsPerPeriod, Duration period, int attempts, Duration firstBackoff, int maxConcurrent,
                      float failureRatePercent, Duration openFor) {
            this(requestsPerPeriod, period, attempts, firstBackoff, maxConcurrent, failureRatePercent, openFor, maxConcurrent);
        }

        /** The same limits with other bounds on the calls and the writes in flight. */
        public Limits withConcurrency(int calls, int writes) {
            return new Limits(requestsPerPeriod, period, attempts, firstBackoff, calls, failureRatePercent, openFor, writes, writePermitWait);
        }

        /** The same limits with another bound on a write's wait for its permit. */
        public Limits withWritePermitWait(Duration wait) {
            return new Limits(requestsPerPeriod, period, attempts, firstBackoff, maxConcurrent, failureRatePercent, openFor, maxConcurrentWrites, wait);
        }

        /**
         * What a connector type's factory declares ({@link ProviderLimits}, plain values in the SPI), as the engine
         * enforces it: the breaker's thresholds and the bound on a write's wait for its permit are the engine's own,
         * the same for every provider.
         */
        public static Limits of(ProviderLimits declared) {
            return new Limits(declared.requestsPerPeriod(), declared.period(), declared.attempts(), declared.firstBackoff(),
                    declared.maxConcurrent(), 50, Duration.ofSeconds(30), declared.maxConcurrentWrites());
        }
    }

    /** Where the instances are registered, so their metrics can be exported once for all connectors. */
    public record Registries(io.github.resilience4j.ratelimiter.RateLimiterRegistry limiters,
                             io.github.resilience4j.retry.RetryRegistry retries,
                             io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry breakers,
                             io.github.resilience4j.bulkhead.BulkheadRegistry bulkheads) {
        public static Registries fresh() {
            return new Registries(io.github.resilience4j.ratelimiter.RateLimiterRegistry.ofDefaults(),
                    io.github.resilience4j.retry.RetryRegistry.ofDefaults(),
                    io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry.ofDefaults(),
                    io.github.resilience4j.bulkhead.BulkheadRegistry.ofDefaults());
        }
    }

    /** How long a read (or any call no read precedes) may wait for its permit: the provider's period, at its longest. */
    static final Duration READ_PERMIT_WAIT = Duration.ofMinutes(10);
    /** Reads again after a write's permit came too late, before the write is given up for now (tried again later). */
    static final int WRITE_PERMIT_ROUNDS = 3;

    private final DnsConnector delegate;
    private final RateLimiter limiter;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final Bulkhead writeBulkhead;

    public ResilientConnector(DnsConnector delegate, Limits limits) {
        this(delegate, limits, Registries.fresh());
    }

    public ResilientConnector(DnsConnector delegate, Limits limits, Registries registries) {
        this.delegate = delegate;
        String name = "connector-" + delegate.id();
        this.limiter = registries.limiters().rateLimiter(name, RateLimiterConfig.custom().limitForPeriod(limits.requestsPerPeriod())
                .limitRefreshPeriod(limits.period()).timeoutDuration(limits.writePermitWait()).build());
        this.retry = registries.retries().retry(name, RetryConfig.custom().maxAttempts(limits.attempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(limits.firstBackoff(), 2.0, 0.5))
                .retryOnException(e -> e instanceof ConnectorException c && c.kind() == ConnectorException.Kind.RETRYABLE)
                .build());
        this.breaker = registries.breakers().circuitBreaker(name, CircuitBreakerConfig.custom().failureRateThreshold(limits.failureRatePercent())
                .slidingWindowSize(20).minimumNumberOfCalls(10).waitDurationInOpenState(limits.openFor())
                // Only provider trouble opens the breaker; a conflict or a bad record is the data's, not the provider's.
                .recordException(e -> e instanceof ConnectorException c && c.kind() == ConnectorException.Kind.RETRYABLE)
                .build());
        this.bulkhead = registries.bulkheads().bulkhead(name, BulkheadConfig.custom().maxConcurrentCalls(limits.maxConcurrent())
                .maxWaitDuration(Duration.ofMinutes(1)).build());
        this.writeBulkhead = registries.bulkheads().bulkhead(name + "-writes", BulkheadConfig.custom()
                .maxConcurrentCalls(Math.min(limits.maxConcurrentWrites(), limits.maxConcurrent())).maxWaitDuration(Duration.ofMinutes(1)).build());
    }

    public RateLimiter limiter() {
        return limiter;
    }

    public Retry retry() {
        return retry;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public Bulkhead bulkhead() {
        return bulkhead;
    }

    /** The bound on writes in flight, inside {@link #bulkhead()}'s. */
    public Bulkhead writeBulkhead() {
        return writeBulkhead;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public Optional<RrSet> read(String zone, String owner, String type) throws ConnectorException {
        return readCall(() -> delegate.read(zone, owner, type));
    }

    @Override
    public ApplyReceipt apply(RrSetChange change) throws ConnectorException {
        // A retried write may follow one that landed but whose answer was lost (a timeout, a 504 from a gateway): sent
        // again it would be a second write, and a compare-and-set one would be refused as a conflict with our own
        // change. So an attempt after one whose outcome is unknown reads first, and ChangeEngine's rule decides: the
        // target in place ends the retries, the expected-before set still there lets the write go again, and anything
        // else is someone's edit, which ends in a conflict with nothing written (invariant 3).
        // After a plain refusal (429, throttling) nothing is read: the provider did nothing, and a read costs a request.
        // A write whose permit does not come within the bound reads again the same way: its caller's read is too old.
        // The caller read the set just before this call. Waits in the bulkheads, a retry's back-off and a late permit all add
        // to the time since: a write sent longer than the permit bound after the last read reads again first, as above,
        // unless the provider compares the whole set itself in the write (nativeCompareCoversTtl).
        AtomicBoolean unknown = new AtomicBoolean();
        AtomicLong lastRead = new AtomicLong(System.nanoTime());
        long bound = limiter.getRateLimiterConfig().getTimeoutDuration().toNanos();
        boolean providerCompares = delegate.capabilities().nativeCompareCoversTtl();
        return call(writeBulkhead, () -> {
            long sinceRead = System.nanoTime() - lastRead.get();
            String readAgain = unknown.get() ? "an earlier attempt's answer was lost"
                    : !providerCompares && sinceRead > bound ? "the write waited " + sinceRead / 1_000_000 + " ms for its turn after its read" : null;
            for (int round = 0; ; round++) {
                if (readAgain != null) {
                    readPermit();
                    Optional<RrSet> current = delegate.read(change.zone(), change.owner(), change.type());
                    lastRead.set(System.nanoTime());
                    switch (ChangeEngine.readAgain(change, current)) {
                        case IN_PLACE -> {
                            return new ApplyReceipt(delegate.id() + ": " + (round == 0 && unknown.get()
                                    ? "an earlier attempt landed (its answer was lost); read back in place"
                                    : readAgain + "; read again, the target was in place already"));
                        }
                        case CHANGED_ELSEWHERE -> throw new ConnectorException(ConnectorException.Kind.CONFLICT, delegate.id()
                                + ": " + readAgain + ", and " + change.owner() + " " + change.type() + " is now "
                                + current.map(RrSet::toString).orElse("absent") + ", neither the expected set nor the target;"
                                + " not written");
                        case STILL_EXPECTED -> {
                            // nothing of ours landed, and nobody else's: write, as a first write
                        }
                    }
                }
                if (!limiter.acquirePermission()) {
                    if (round + 1 >= WRITE_PERMIT_ROUNDS) {
                        throw RequestNotPermitted.createRequestNotPermitted(limiter);
                    }
                    readAgain = "the rate limit gave the write no permit within " + limiter.getRateLimiterConfig().getTimeoutDuration().toMillis() + " ms of its read";
                    continue;
                }
                try {
                    return delegate.apply(change);
                } catch (ConnectorException e) {
                    unknown.set(e.outcomeUnknown());
                    throw e;
                }
            }
        });
    }

    @Override
    public List<String> listZones() throws ConnectorException {
        return readCall(delegate::listZones);
    }

    /**
     * The zone lister of the connector (zones with their accounts), behind the same limits as its reads, where the
     * connector has one ({@link ZoneLister} is an optional ability beside the SPI's methods).
     */
    public Optional<ZoneLister> zoneLister() {
        return delegate instanceof ZoneLister ? Optional.of(this) : Optional.empty();
    }

    /** The wrapped connector's zones with their accounts; {@link ConnectorException.Kind#UNSUPPORTED} where it has none ({@link #zoneLister()}). */
    @Override
    public List<ListedZone> listedZones() throws ConnectorException {
        if (!(delegate instanceof ZoneLister lister)) {
            throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, delegate.id() + " cannot list zones with their accounts");
        }
        return readCall(lister::listedZones);
    }

    /**
     * The whole-zone reader of the connector, behind the same limits as its reads, where the connector has one
     * ({@link ZoneReader} is an optional ability beside the SPI's methods; decision 0028).
     */
    public Optional<ZoneReader> zoneReader() {
        return delegate instanceof ZoneReader ? Optional.of(this) : Optional.empty();
    }

    /** The wrapped connector's whole-zone read; {@link ConnectorException.Kind#UNSUPPORTED} where it has none ({@link #zoneReader()}). */
    @Override
    public List<RrSet> readZone(String zone) throws ConnectorException {
        if (!(delegate instanceof ZoneReader reader)) {
            throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, delegate.id() + " cannot read a whole zone");
        }
        return readCall(() -> reader.readZone(zone));
    }

    @Override
    public ZoneSigning signing(String zone) throws ConnectorException {
        return readCall(() -> delegate.signing(zone));
    }

    // The three DNSSEC writes change keys or records at the provider, so each takes a write's place in the bulkhead
    // too; no read of ours precedes them, so their permits may take as long as a read's. Each is idempotent by the
    // SPI's contract (it reads the provider's state before it creates anything), so a retry after a lost answer
    // neither makes a second key nor repeats a removal.

    @Override
    public ZoneSigning sign(String zone, SigningRequest request) throws ConnectorException {
        return dnssecWrite(() -> delegate.sign(zone, request));
    }

    @Override
    public ZoneSigning publishCds(String zone, CdsMode mode) throws ConnectorException {
        return dnssecWrite(() -> delegate.publishCds(zone, mode));
    }

    @Override
    public ZoneSigning unsign(String zone) throws ConnectorException {
        return dnssecWrite(() -> delegate.unsign(zone));
    }

    /**
     * A permit for a call no read of ours must stay close to: waited for as long as the provider's period may take
     * ({@link #READ_PERMIT_WAIT}), in steps of the limiter's own timeout (the write's bound).
     */
    private void readPermit() {
        long deadline = System.nanoTime() + READ_PERMIT_WAIT.toNanos();
        while (!limiter.acquirePermission()) {
            // an interrupted thread gets no permit at once, every time: give up rather than spin until the deadline
            if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
                throw RequestNotPermitted.createRequestNotPermitted(limiter);
            }
        }
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** A read: each attempt waits for its permit ({@link #readPermit()}), then asks the connector. */
    private <T> T readCall(Callable<T> read) throws ConnectorException {
        return call(null, () -> {
            readPermit();
            return read.call();
        });
    }

    /** A DNSSEC write: a place in the write bulkhead too, and at each attempt a read's permit (no read of ours precedes it). */
    private <T> T dnssecWrite(Callable<T> write) throws ConnectorException {
        return call(writeBulkhead, () -> {
            readPermit();
            return write.call();
        });
    }

    /** {@code writes}: the write bulkhead, taken before the one on all calls (always in this order), or null for a read. */
    private <T> T call(Bulkhead writes, Callable<T> call) throws ConnectorException {
        // Outermost the retry, so each attempt waits for its permits (taken inside each call: a read's and a write's
        // waits differ) and is counted by the breaker.
        Callable<T> inner = Bulkhead.decorateCallable(bulkhead, CircuitBreaker.decorateCallable(breaker, call));
        Callable<T> guarded = Retry.decorateCallable(retry, writes == null ? inner : Bulkhead.decorateCallable(writes, inner));
        try {
            return guarded.call();
        } catch (ConnectorException e) {
            throw e;
        } catch (CallNotPermittedException e) {
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, delegate.id() + ": the circuit is open after repeated"
                    + " failures; calls resume in a while", e);
        } catch (RequestNotPermitted e) {
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, delegate.id() + ": the rate limit allowed no call in time"
                    + (writes == null ? "" : " (a write must follow its read within " + limiter.getRateLimiterConfig().getTimeoutDuration().toMillis()
                    + " ms; read again " + WRITE_PERMIT_ROUNDS + " times); nothing was written"), e);
        } catch (Exception e) {
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, delegate.id() + ": " + e, e);
        }
    }
}
