package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.NextAction;

import java.util.List;

/**
 * What a service decides for an event whose next action it owns: the events that follow it. Each service's business
 * logic implements this (discovery, validation, record generation, push); the event-log runtime ({@link EventLogConsumer})
 * calls it once per owned event, in partition order, and does the rest: decoding, the stale check, appending the events
 * returned inside the batch's transaction, retries, dead letters, counting (decision 0041). A component that keeps something per domain of this process's partitions (a timer, the wave gate)
 * also implements {@link PartitionLifecycle}.
 */
public interface OwnedEventHandler {

    /** The kinds of next action this handler takes on. */
    boolean handles(NextAction action);

    /**
     * The events that follow {@code event}, built from its state ({@code EventFactory}), in the order to append them;
     * empty when nothing follows now (a timer set, a domain the wave gate holds, a dry run). Throws when it cannot
     * decide now (a lookup broke): the runtime retries or rolls back, and dead-letters after the attempts.
     */
    List<EventEnvelope> handle(EventEnvelope event, NextAction action);

    /**
     * Whether handlings of different domains may run at the same time, off the consumer thread: true for a handler
     * that only looks (DNS, SMTP) and keeps no bookkeeping tied to the consumer's transaction; the runtime appends
     * what each returns on the consumer thread, in record order (default: false, handled in place).
     */
    default boolean concurrent() {
        return false;
    }
}
