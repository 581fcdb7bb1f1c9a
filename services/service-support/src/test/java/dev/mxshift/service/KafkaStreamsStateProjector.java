package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state table as Kafka Streams keeps it: the event log grouped by domain and aggregated, exactly once, into a
 * KTable of each domain's latest state, whose every change is written to the compacted state topic in the format the
 * readers know ({@link EventCodec#encodeState}). The same rules as {@link StateProjector}: a domain's state is the
 * one its newest event carries; an event whose sequence is not newer than the table's (a repeat, a lost race) leaves
 * it as it is; a record that does not decode is no domain's state and is skipped (the services dead-letter it).
 *
 * <p>The consumer group is the Streams application id, {@link StateProjector#groupFor} by default, so whatever waits
 * for the projection's committed offsets (the partition handover, the operator) waits the same way. Unlike the
 * hand-built projector, a repeat that arrives after its domain's state was flushed writes that same state again
 * (a KTable forwards every update); readers see no difference. Decision 0039.
 */
public final class KafkaStreamsStateProjector implements StateProjection {

    /** The KTable's store: its changelog topic is {@code <application id>-states-changelog}. */
    public static final String STORE = "states";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStreamsStateProjector.class);

    private final KafkaStreams streams;
    private final String applicationId;

    /**
     * @param applicationId the Streams application id and consumer group ({@link StateProjector#groupFor} in a service)
     * @param stateDir      this process's own directory for the table's local store (one per instance on a machine)
     * @param membership    the binder consumers' group membership timings ({@link StateProjector#MEMBERSHIP})
     */
    public KafkaStreamsStateProjector(KafkaClientSettings kafka, String eventsTopic, String stateTopic, String applicationId, Path stateDir,
                                      dev.mxshift.model.topic.TopicReplication replication, EventCodec codec, MeterRegistry meters, Map<String, ?> membership) {
        if (!StateProjector.MEMBERSHIP.containsAll(membership.keySet())) {
            throw new IllegalArgumentException("the state projection takes only " + StateProjector.MEMBERSHIP + " from the binder's consumer properties, got " + membership.keySet());
        }
        this.applicationId = applicationId;
        Map<String, Object> own = new HashMap<>(membership);
        own.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        own.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        own.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // its internal topics (the table's changelog, the repartition topic) kept like the catalogue's
        own.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replication.factor());
        replication.config().forEach((k, v) -> own.put(StreamsConfig.topicPrefix(k), v));
        // the state topic's records compressed as the hand-built projector's and the binders' are
        own.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), KafkaClientSettings.COMPRESSION);
        this.streams = new KafkaStreams(topology(eventsTopic, stateTopic, codec, meters), new StreamsConfig(kafka.with(own)));
        // like the hand-built projector's loop: a failure starts the work again from the last committed transaction
        streams.setUncaughtExceptionHandler(e -> {
            LOG.warn("state projection of {} stopped ({}); starting again from the last committed transaction", eventsTopic, e.toString());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** migration.events -> decoded (poison skipped) -> by domain -> latest state by sequence -> the state topic. */
    static Topology topology(String eventsTopic, String stateTopic, EventCodec codec, MeterRegistry meters) {
        Counter undecodable = skipped(meters, "undecodable");
        Counter stale = skipped(meters, "stale");
        Counter projected = Counter.builder(StateProjector.PROJECTED).description("states written to the state topic").register(meters);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(eventsTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .flatMapValues(bytes -> {
                    try {
                        return List.of(codec.decode(bytes));
                    } catch (EventDecodingException | NullPointerException e) {
                        undecodable.increment();
                        return List.<EventEnvelope>of();
                    }
                })
                // the key is unchanged, so Streams does not repartition: the serde is never used on this path
                .groupByKey(Grouped.with(Serdes.String(), Serdes.<EventEnvelope>serdeFrom((t, e) -> codec.encode(e), (t, b) -> codec.decode(b))))
                .aggregate(() -> null, (domain, event, table) -> {
                    if (table != null && event.sequence() <= table.sequence()) {
                        stale.increment();
                        return table;
                    }
                    projected.increment();
                    return new Projected(event.sequence(), codec.encodeState(event.state()));
                }, Materialized.<String, Projected, KeyValueStore<Bytes, byte[]>>as(STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(Projected.SERDE))
                .toStream()
                .mapValues(Projected::state)
                .to(stateTopic, Produced.with(Serdes.String(), Serdes.ByteArray()));
        return builder.build();
    }

    private static Counter skipped(MeterRegistry meters, String why) {
        return Counter.builder(StateProjector.SKIPPED).description("events not projected: stale (a repeat or a lost race) or undecodable")
                .tag("reason", why).register(meters);
    }

    public KafkaStreamsStateProjector start() {
        streams.start();
        return this;
    }

    @Override
    public String group() {
        return applicationId;
    }

    /** Streams' own word on it: RUNNING once it has its tasks and restored their stores. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(10));
    }

    /** A row of the table: the sequence of the event it came from (for the stale check), and the state as the topic holds it. */
    record Projected(long sequence, byte[] state) {

        static final Serde<Projected> SERDE = Serdes.<Projected>serdeFrom(
                (topic, p) -> p == null ? null : ByteBuffer.allocate(Long.BYTES + p.state.length).putLong(p.sequence).put(p.state).array(),
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    long sequence = buffer.getLong();
                    byte[] state = new byte[buffer.remaining()];
                    buffer.get(state);
                    return new Projected(sequence, state);
                });
    }
}
