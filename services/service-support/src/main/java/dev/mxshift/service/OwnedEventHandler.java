package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.NextAction;

/**
 * What a service does with an event whose next action it owns. Each service's business logic implements this
 * (discovery, validation, record generation, push); the event-log runtime ({@link EventLogConsumer}) calls it once per
 * owned event, in partition order, and does the rest: decoding, the stale check, retries, dead letters, counting and
 * the transaction. A component that keeps something per domain of this process's partitions (a timer, the wave gate)
 * also implements {@link PartitionLifecycle}.
 */
public interface OwnedEventHandler {

    /** The kinds of next action this handler takes on. */
    boolean handles(NextAction action);

    void handle(EventEnvelope event, NextAction action);

    /**
     * Whether handlings of different domains may run at the same time, off the consumer thread: true for a handler
     * that only looks (DNS, SMTP) and appends, keeps no bookkeeping tied to the consumer's transaction, and whose
     * appends may be made later, in record order, by the consumer thread (default: false, handled in place).
     */
    default boolean concurrent() {
        return false;
    }
}
