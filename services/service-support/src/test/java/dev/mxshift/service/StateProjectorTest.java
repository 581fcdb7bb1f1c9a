package dev.mxshift.service;

import dev.mxshift.model.serde.EventCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The projector's consumer group takes a killed process for dead as soon as the binder's group does: it is given the
 * binder's membership timings, and nothing else of the binder's consumer properties.
 */
class StateProjectorTest {

    private static StateProjector projector(Map<String, ?> membership) {
        return new StateProjector(KafkaClientSettings.plaintext("k1:9092"), "migration.events", "migration.state", "push-0",
                new EventCodec(), new SimpleMeterRegistry(), membership);
    }

    @Test
    void theProjectorsConsumerHasTheBindersMembershipTimingsAndItsOwnGroup() {
        Map<String, Object> consumer = projector(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000")).consumerSettings();

        assertThat(consumer).containsAllEntriesOf(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000", ConsumerConfig.GROUP_ID_CONFIG, "migration.events.state-projector",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000));
    }

    @Test
    void withoutMembershipTimingsKafkasDefaultsHold() {
        assertThat(projector(Map.of()).consumerSettings())
                .doesNotContainKeys(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
    }

    @Test
    void anyOtherConsumerPropertyIsRefused() {
        assertThatThrownBy(() -> projector(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max.poll.records");
    }
}
