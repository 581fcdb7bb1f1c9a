package dev.mxshift.service;

/**
 * What keeps the compacted state topic equal to the event log in a service process: the hand-built
 * {@link StateProjector} or the Kafka Streams {@link KafkaStreamsStateProjector}, chosen by
 * {@code mxshift.events.state-projection} (decision 0039). Both write the same records, so no reader can tell them apart.
 */
public interface StateProjection extends AutoCloseable {

    /** The consumer group whose committed offsets on the event log say how far the state topic is projected. */
    String group();

    @Override
    void close();
}
