package dev.mxshift.discovery;

import dev.mxshift.discovery.inventory.InventoryRow;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Discovers many domains with at most {@code domainsInFlight} under way: the caller's thread feeds rows and waits
 * for room, completions hand each report to the sink. {@link #finish()} waits for the last ones. Nothing is
 * dropped: every row fed gets exactly one report, a failure report if its lookups broke in an unexpected way.
 */
public final class DiscoveryRun {

    private final DomainDiscoverer discoverer;
    private final Semaphore room;
    private final int domainsInFlight;
    private final BiConsumer<InventoryRow, DiscoveryReport> sink;
    private final AtomicLong done = new AtomicLong();
    private long fed;

    public DiscoveryRun(DomainDiscoverer discoverer, int domainsInFlight, BiConsumer<InventoryRow, DiscoveryReport> sink) {
        if (domainsInFlight < 1) {
            throw new IllegalArgumentException("domains in flight must be at least 1, got " + domainsInFlight);
        }
        this.discoverer = discoverer;
        this.domainsInFlight = domainsInFlight;
        this.room = new Semaphore(domainsInFlight);
        this.sink = sink;
    }

    public void feed(InventoryRow row) {
        room.acquireUninterruptibly();
        fed++;
        discoverer.discover(row.domain()).whenComplete((report, failure) -> {
            try {
                synchronized (sink) {
                    sink.accept(row, failure == null ? report : DiscoveryReport.failed(row.domain(), null,
                            dev.mxshift.model.event.FailureKind.RETRYABLE, "discovery broke: " + failure));
                }
            } finally {
                done.incrementAndGet();
                room.release();
            }
        });
    }

    public long fed() {
        return fed;
    }

    public long done() {
        return done.get();
    }

    /** Waits until every fed domain has its report. */
    public void finish() {
        room.acquireUninterruptibly(domainsInFlight);
        room.release(domainsInFlight);
    }
}
