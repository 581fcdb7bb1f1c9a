package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.model.workflow.Workflow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Consumes {@code migration.events} for one service: decodes each record with the shared codec, works out from
 * the carried state what happens next, and passes the events this service owns to its handlers. A record that
 * does not decode, or whose event the workflow refuses, goes to the service's dead-letter topic with the reason
 * ({@link DeadLetters}), and the partition goes on; any other failure rolls the record's transaction back and the
 * binder dead-letters it after the configured attempts.
 */
public final class EventLogConsumer implements Consumer<Message<byte[]>> {

    public static final String CONSUMED = "mxshift.events.consumed";
    public static final String UNHANDLED = "mxshift.events.owned.unhandled";
    public static final String STALE = "mxshift.events.stale";

    private static final Logger LOG = LoggerFactory.getLogger(EventLogConsumer.class);

    private final ServiceRole role;
    private final EventCodec codec;
    private final List<OwnedEventHandler> handlers;
    private final MeterRegistry meters;
    /**
     * The latest event known per domain in this process's partitions. An event below it is overtaken (a later event
     * exists, so what it asked for was done or superseded); an event at it is a repeat (an inventory imported twice,
     * a redelivery) unless it is that very event and this process has not handled it yet: the state topic at start
     * names each domain's latest event, which a service that was down, or new, must still act on.
     */
    private final Map<String, Seen> latest = new ConcurrentHashMap<>();

    private record Seen(long sequence, java.util.UUID eventId, boolean handled) {
    }

    private final DeadLetters deadLetters;

    public EventLogConsumer(ServiceRole role, EventCodec codec, List<OwnedEventHandler> handlers, MeterRegistry meters) {
        this(role, codec, handlers, meters, null);
    }

    /** With {@code deadLetters}, records that cannot be decoded, or whose event the workflow refuses, are dead-lettered here. */
    public EventLogConsumer(ServiceRole role, EventCodec codec, List<OwnedEventHandler> handlers, MeterRegistry meters, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.role = role;
        this.codec = codec;
        this.handlers = List.copyOf(handlers);
        this.meters = meters;
    }

    /**
     * What the state topic says at start: a domain's latest event, so that older events and repeats are stale after
     * a restart too, while that latest event itself is still acted on when it comes.
     */
    public void remember(String domain, long sequence, java.util.UUID eventId) {
        latest.merge(domain, new Seen(sequence, eventId, false), (a, b) -> a.sequence() >= b.sequence() ? a : b);
    }

    /**
     * What this process remembers of an event counts only if the record's transaction commits: after a rollback (a
     * rebalance took the partition mid-record, the broker failed) the record comes again, here or at another
     * instance, and must not then look like a repeat.
     */
    private void forgetIfRolledBack(String domain, Seen before, Seen now) {
        if (!org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                new org.springframework.transaction.support.TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int status) {
                        if (status != STATUS_COMMITTED) {
                            if (before == null) {
                                latest.remove(domain, now);
                            } else {
                                latest.replace(domain, now, before);
                            }
                        }
                    }
                });
    }

    @Override
    public void accept(Message<byte[]> message) {
        EventEnvelope event;
        try {
            event = codec.decode(message.getPayload());
        } catch (dev.mxshift.model.serde.EventDecodingException e) {
            if (deadLetters == null) {
                throw e;
            }
            deadLetters.send(message, e);
            return;
        }
        Seen seen = latest.get(event.domain().value());
        if (seen != null && (event.sequence() < seen.sequence() || event.sequence() == seen.sequence()
                && (seen.handled() || !event.eventId().equals(seen.eventId())))) {
            Counter.builder(STALE).description("events at or below the latest sequence already seen for their domain, not acted on")
                    .tag("type", event.type()).register(meters).increment();
            LOG.info("{} #{} of {} is stale (#{} already seen); not acted on", event.type(), event.sequence(), event.domain(), seen.sequence());
            return;
        }
        String domain = event.domain().value();
        Seen before = latest.get(domain);
        Seen now = new Seen(event.sequence(), event.eventId(), true);
        latest.put(domain, now);
        forgetIfRolledBack(domain, before, now);
        handlers.forEach(h -> h.observe(event));
        NextAction next = Workflow.next(event.state());
        boolean owned = next.owner() == role;
        Counter.builder(CONSUMED).description("events of migration.events read by this service")
                .tag("type", event.type()).tag("owned", Boolean.toString(owned))
                .register(meters).increment();
        if (!owned) {
            return;
        }
        OwnedEventHandler handler = handlers.stream().filter(h -> h.handles(next)).findFirst().orElse(null);
        if (handler == null) {
            // The decision for this action belongs to a later change of this service; say so, loudly and countably.
            Counter.builder(UNHANDLED).description("owned events no handler of this service takes yet")
                    .tag("action", next.getClass().getSimpleName()).register(meters).increment();
            LOG.warn("{} owns {} for {} (event #{}), but has no handler for it yet",
                    role.serviceName(), next.getClass().getSimpleName(), event.domain(), event.sequence());
            return;
        }
        try {
            handler.handle(event, next);
        } catch (dev.mxshift.model.workflow.IllegalTransitionException e) {
            // The event's carried state does not allow what it asks for: a defect or a forged record, not a passing fault.
            if (deadLetters == null) {
                throw e;
            }
            deadLetters.send(message, e);
        }
    }
}
