package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import java.nio.charset.StandardCharsets;

/**
 * Appends a service's events to {@code migration.events} through the binding {@code events-out-0}, keyed by the
 * domain so that every event of a domain lands in its partition, in order; then the domain's state after it to the
 * compacted {@code migration.state} through {@code state-out-0}, so operators and restarts find the latest state
 * per domain without replaying the log. Both bindings are synchronous ({@code producer.sync}), so a failed append
 * throws and the triggering record is not acknowledged. The two writes are not one transaction yet (issue 8): a
 * crash between them leaves the state topic one event behind until the domain's next event.
 */
public final class EventAppender {

    public static final String BINDING = "events-out-0";
    public static final String STATE_BINDING = "state-out-0";

    private final StreamBridge bridge;
    private final EventCodec codec;

    public EventAppender(StreamBridge bridge, EventCodec codec) {
        this.bridge = bridge;
        this.codec = codec;
    }

    public void append(EventEnvelope event) {
        Message<byte[]> message = MessageBuilder.withPayload(codec.encode(event))
                .setHeader(KafkaHeaders.KEY, event.domain().value().getBytes(StandardCharsets.UTF_8))
                .build();
        if (!bridge.send(BINDING, message)) {
            throw new IllegalStateException("the event log did not take " + event.type() + " #" + event.sequence() + " of " + event.domain());
        }
        Message<byte[]> state = MessageBuilder.withPayload(codec.encodeState(event.state()))
                .setHeader(KafkaHeaders.KEY, event.domain().value().getBytes(StandardCharsets.UTF_8))
                .build();
        if (!bridge.send(STATE_BINDING, state)) {
            throw new IllegalStateException("the state topic did not take the state of " + event.domain() + " after #" + event.sequence());
        }
    }
}
