package dev.mxshift.service;

import dev.mxshift.model.serde.EventHeader;
import dev.mxshift.model.workflow.MigrationState;

import java.util.function.Predicate;

/**
 * For the few components that keep something per domain of the partitions Kafka gives this process (durable timers,
 * the wave gate, the Graph watcher): what they hear as partitions come and go and as their events pass. Timers follow
 * partition ownership (decision 0014): recovered when a partition is given, released when it is taken. Called by the
 * event-log runtime ({@link EventLogConsumer}, {@link PartitionHandover}); every method defaults to nothing.
 */
public interface PartitionLifecycle {

    /**
     * Every event of this process's partitions that is not stale, owned or not, before any handling: its envelope, and
     * its carried state if this component {@link #observesStates()} (otherwise null for most events: the state of an
     * event nothing of this service owns or observes is not decoded, decision 0038). Never an event this service found
     * malformed: an owned event's payload, and that of any event of a domain this component {@link #keeps}, is decoded
     * first (decision 0041).
     */
    default void observe(EventHeader event, MigrationState state) {
    }

    /** Whether {@link #observe} needs the carried state of every event (decoding it costs CPU on every event; default: no). */
    default boolean observesStates() {
        return false;
    }

    /**
     * Whether this component keeps something for {@code domain} (a timer set) that an event whose payload does not
     * decode must not reach: the runtime then decodes the payload of the domain's events before {@link #observe},
     * which it otherwise does only for the events this service owns (default: no).
     */
    default boolean keeps(String domain) {
        return false;
    }

    /**
     * Every state of the domains of partitions Kafka gives this consumer, read before any of their records is consumed
     * (from the state topic, then the log's events it may not hold yet, so a domain may come more than once, newest
     * last; {@link PartitionHandover}).
     */
    default void recovered(MigrationState state) {
    }

    /**
     * A hand-over of given partitions begins: the states {@link #recovered} gets until {@link #handoverEnded} may be
     * superseded by later ones of the same hand-over, so nothing may be acted on yet (a timer recovered overdue must
     * not fire before the newer state that cancels it arrives).
     */
    default void handoverStarted() {
    }

    /** The hand-over begun by {@link #handoverStarted} ended, read whole or not. */
    default void handoverEnded() {
    }

    /**
     * Kafka took the partitions of the domains {@code domains} accepts from this consumer: another instance acts on
     * them now and recovers their states itself, so what this component keeps for them (a timer) must stop here.
     */
    default void released(Predicate<String> domains) {
    }
}
