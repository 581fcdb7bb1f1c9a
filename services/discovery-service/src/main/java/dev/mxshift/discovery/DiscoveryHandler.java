package dev.mxshift.discovery;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.service.OwnedEventHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The discovery service's decision, wired to the event log: a domain whose next action is {@code Discover} is
 * looked up ({@link DomainDiscoverer}, the same code as the discover command) and gets its {@code discovered} or
 * {@code discovery-failed} event, caused by the triggering event, with the sequence after it; the runtime appends it.
 */
public final class DiscoveryHandler implements OwnedEventHandler {

    public static final String OUTCOMES = "mxshift.discovery.outcomes";

    private final DomainDiscoverer discoverer;
    private final Duration domainTimeout;
    private final EventFactory events;
    private final MeterRegistry meters;

    public DiscoveryHandler(DomainDiscoverer discoverer, Duration domainTimeout, Clock clock, MeterRegistry meters) {
        this.discoverer = discoverer;
        this.domainTimeout = domainTimeout;
        this.events = new EventFactory(clock);
        this.meters = meters;
    }

    /** It looks (DNS, SMTP) and decides one event: handlings of different domains may run at once. */
    @Override
    public boolean concurrent() {
        return true;
    }

    @Override
    public boolean handles(NextAction action) {
        return action instanceof NextAction.Discover;
    }

    @Override
    public List<EventEnvelope> handle(EventEnvelope event, NextAction action) {
        DiscoveryReport report;
        try {
            report = discoverer.discover(event.domain()).toCompletableFuture().get(domainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            report = DiscoveryReport.failed(event.domain(), null, dev.mxshift.model.event.FailureKind.RETRYABLE,
                    "discovery took longer than " + domainTimeout.toSeconds() + " s; it will be retried");
        } catch (ExecutionException e) {
            // A bug or broken infrastructure: the domain gets a failure it can be retried from, not a dead letter.
            report = DiscoveryReport.failed(event.domain(), null, dev.mxshift.model.event.FailureKind.RETRYABLE,
                    "discovery broke (" + e.getCause() + "); it can be retried");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while discovering " + event.domain(), e);
        }
        EventEnvelope next = events.next(event.state(), report.event(), event.eventId());
        Counter.builder(OUTCOMES).description("domains discovered, by classification or failure")
                .tag("outcome", report.failure() != null ? "failed-" + report.failure().name().toLowerCase(java.util.Locale.ROOT)
                        : report.classification().name().toLowerCase(java.util.Locale.ROOT))
                .register(meters).increment();
        return List.of(next);
    }
}
