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
     * The latest sequence seen per domain in this process's partitions: an event at or below it is a repeat or an
     * overtaken trigger (an inventory imported twice, a redelivery) and is not acted on again.
     */
    private final Map<String, Long> latest = new ConcurrentHashMap<>();

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

    /** What the state topic says at start: a domain's latest sequence, so a redelivered or repeated event is stale after a restart too. */
    public void remember(String domain, long sequence) {
        latest.merge(domain, sequence, Math::max);
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
        Long seen = latest.get(event.domain().value());
        if (seen != null && event.sequence() <= seen) {
            Counter.builder(STALE).description("events at or below the latest sequence already seen for their domain, not acted on")
                    .tag("type", event.type()).register(meters).increment();
            LOG.info("{} #{} of {} is stale (#{} already seen); not acted on", event.type(), event.sequence(), event.domain(), seen);
            return;
        }
        latest.put(event.domain().value(), event.sequence());
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
