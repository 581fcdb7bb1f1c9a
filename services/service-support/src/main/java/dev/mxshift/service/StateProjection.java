package dev.mxshift.service;

/**
 * What keeps the compacted state topic equal to the event log in a service process: the hand-built
 * {@link StateProjector}. bench/state-table measures a Kafka Streams implementation of it (in the tests) against that
 * one; it was not adopted (decision 0039).
 */
public interface StateProjection extends AutoCloseable {

    /** The consumer group whose committed offsets on the event log say how far the state topic is projected. */
    String group();

    @Override
    void close();
}
