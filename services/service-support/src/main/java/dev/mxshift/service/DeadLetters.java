package dev.mxshift.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import java.nio.charset.StandardCharsets;

/**
 * Sends a record this service cannot process to its dead-letter topic, unchanged, with the reason and where it came
 * from in the headers Spring's dead-letter publisher uses ({@code x-original-topic}, {@code x-original-partition},
 * {@code x-original-offset}, {@code x-exception-message}, {@code x-exception-fqcn}), so the operator tools read both
 * kinds alike. On the consumer thread the send joins the listener's transaction: the dead letter and the offset
 * past it commit together, so a crash neither loses it nor writes it twice.
 */
public final class DeadLetters {

    public static final String DEAD_LETTERS = "mxshift.events.dead-lettered";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final StreamBridge bridge;
    private final String topic;
    private final MeterRegistry meters;

    public DeadLetters(StreamBridge bridge, String topic, MeterRegistry meters) {
        this.bridge = bridge;
        this.topic = topic;
        this.meters = meters;
    }

    public void send(Message<byte[]> record, Exception reason) {
        Object key = record.getHeaders().get(KafkaHeaders.RECEIVED_KEY);
        MessageBuilder<byte[]> dead = MessageBuilder.withPayload(record.getPayload())
                .setHeader("x-original-topic", bytes(record.getHeaders().get(KafkaHeaders.RECEIVED_TOPIC)))
                .setHeader("x-original-partition", bytes(record.getHeaders().get(KafkaHeaders.RECEIVED_PARTITION)))
                .setHeader("x-original-offset", bytes(record.getHeaders().get(KafkaHeaders.OFFSET)))
                .setHeader("x-exception-message", bytes(reason.getMessage()))
                .setHeader("x-exception-fqcn", bytes(reason.getClass().getName()));
        if (key != null) {
            dead.setHeader(KafkaHeaders.KEY, key);
        }
        if (!bridge.send(topic, dead.build())) {
            throw new IllegalStateException("the dead-letter topic " + topic + " did not take a record: " + reason.getMessage());
        }
        Counter.builder(DEAD_LETTERS).description("records sent to this service's dead-letter topic, by reason")
                .tag("reason", reason.getClass().getSimpleName()).register(meters).increment();
        LOG.warn("dead-lettered a record of {} partition {} offset {} to {}: {}", record.getHeaders().get(KafkaHeaders.RECEIVED_TOPIC),
                record.getHeaders().get(KafkaHeaders.RECEIVED_PARTITION), record.getHeaders().get(KafkaHeaders.OFFSET), topic, reason.getMessage());
    }

    private static byte[] bytes(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }
}
