package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.NextAction;

/**
 * What a service does with an event whose next action it owns. Each service's business logic implements this
 * (discovery, validation, record generation, push); the binding calls it once per owned event, in partition order.
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

    /**
     * The last batch this consumer thread handled committed: what the handler counted for it stands (called on
     * that thread, before its next batch; default: nothing to do).
     */
    default void committed() {
    }

    /**
     * The last batch this consumer thread handled rolled back and will come again: undo what the handler counted
     * for it on this thread (called on that thread; default: nothing to do).
     */
    default void rolledBack() {
    }

    /**
     * Every event of this process's partitions that is not stale, owned or not, before any handling: its envelope, and
     * its carried state if this handler {@link #observesStates()} (otherwise null for most events: the state of an
     * event no handler of this service owns or observes is not decoded). Default: ignored.
     */
    default void observe(dev.mxshift.model.serde.EventHeader event, dev.mxshift.model.workflow.MigrationState state) {
    }

    /** Whether {@link #observe} needs the carried state of every event (decoding it costs CPU on every event; default: no). */
    default boolean observesStates() {
        return false;
    }

    /**
     * Every state of the domains of partitions Kafka gives this consumer, read before any of their records is consumed
     * (from the state topic, then the log's events it may not hold yet, so a domain may come more than once, newest
     * last; {@link PartitionHandover}); default: ignored.
     */
    default void recovered(dev.mxshift.model.workflow.MigrationState state) {
    }

    /**
     * A hand-over of given partitions begins: the states {@link #recovered} gets until {@link #handoverEnded} may be
     * superseded by later ones of the same hand-over, so nothing may be acted on yet (a timer recovered overdue must
     * not fire before the newer state that cancels it arrives); default: nothing to hold.
     */
    default void handoverStarted() {
    }

    /** The hand-over begun by {@link #handoverStarted} ended, read whole or not; default: nothing held. */
    default void handoverEnded() {
    }

    /**
     * Kafka took the partitions of the domains {@code domains} accepts from this consumer: another instance acts on
     * them now and recovers their states itself, so what this handler keeps for them (a timer) must stop here
     * (default: nothing kept).
     */
    default void released(java.util.function.Predicate<String> domains) {
    }
}
