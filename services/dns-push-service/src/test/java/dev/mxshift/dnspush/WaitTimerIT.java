package dev.mxshift.dnspush;

import dev.mxshift.dnspush.timers.WaitTimers;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.WaitElapsed;
import dev.mxshift.model.event.WaitScheduled;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.service.EventLogTestClient;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wait steps' durable timers against a real broker: a timer fires once, at its time; a timer set before the push
 * service stops fires once after it starts again, recovered from the state topic (the service had already consumed
 * and committed the event that set it).
 */
class WaitTimerIT {

    private static final EventCodec CODEC = new EventCodec();

    @Test
    void aTimerSetBeforeAStopFiresOnceAfterTheRestart() throws Exception {
        TopicSpec events = TestTopics.unique(TopicCatalogue.defaults().events());
        TopicSpec state = TestTopics.unique(TopicCatalogue.defaults().state());
        TestTopics.create(KafkaTestBroker.bootstrapServers(), events, state,
                new TopicSpec(events.name() + ".dlt", events.key(), events.partitions(), events.config(), "test"));

        DomainHistory soon = waiting(DomainName.of("soon.example"), Instant.now().plusSeconds(2));
        DomainHistory later = waiting(DomainName.of("later.example"), Instant.now().plusSeconds(12));
        // As the service that appended WaitScheduled would have: the event (it carries the state the push service
        // acts on; the earlier events of the history were handled long ago), then the state after it.
        EventLogTestClient.produce(events.name(), List.of(soon.last()));
        EventLogTestClient.produce(events.name(), List.of(later.last()));
        writeState(state.name(), soon.last());
        writeState(state.name(), later.last());

        try (ConfigurableApplicationContext first = start(events, state)) {
            awaitTrue(() -> count(events.name(), "soon.example", WaitElapsed.class) == 1, Duration.ofSeconds(30), "soon.example's timer fired");
            awaitTrue(() -> first.getBean(WaitTimers.class).size() == 1, Duration.ofSeconds(20), "later.example's timer set");
        }
        assertThat(count(events.name(), "later.example", WaitElapsed.class)).as("stopped before it was due").isZero();
        try (ConfigurableApplicationContext second = start(events, state)) {
            assertThat(second.getBean(WaitTimers.class).domains()).as("recovered from the state topic at start").containsExactly("later.example");
            awaitTrue(() -> count(events.name(), "later.example", WaitElapsed.class) == 1, Duration.ofSeconds(40), "later.example's timer fired");
            EventEnvelope elapsed = events(events.name(), "later.example").stream().filter(e -> e.payload() instanceof WaitElapsed).findFirst().orElseThrow();
            assertThat(elapsed.sequence()).isEqualTo(later.last().sequence() + 1);
            assertThat(elapsed.occurredAt()).isAfterOrEqualTo(((WaitScheduled) later.last().payload()).dueAt());
            Thread.sleep(3000);
        }
        assertThat(count(events.name(), "soon.example", WaitElapsed.class)).as("each timer fires once").isEqualTo(1);
        assertThat(count(events.name(), "later.example", WaitElapsed.class)).isEqualTo(1);
    }

    private static DomainHistory waiting(DomainName domain, Instant dueAt) {
        DomainHistory history = DomainHistory.of(domain);
        while (!(Workflow.next(history.state()) instanceof NextAction.ScheduleWait)) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        NextAction.ScheduleWait wait = (NextAction.ScheduleWait) Workflow.next(history.state());
        history.add(new WaitScheduled(wait.direction(), wait.step(), dueAt));
        return history;
    }

    private static ConfigurableApplicationContext start(TopicSpec events, TopicSpec state) {
        // Command-line arguments, as an operator would give them: they outrank application.yml.
        return new SpringApplicationBuilder(DnsPushServiceApplication.class).run(
                "--spring.main.web-application-type=none",
                "--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--spring.cloud.stream.bindings.events-in-0.destination=" + events.name(),
                "--spring.cloud.stream.bindings.events-out-0.destination=" + events.name(),
                "--mxshift.events.state-topic=" + state.name(),
                "--spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name=" + events.name() + ".dlt");
    }

    private static void writeState(String topic, EventEnvelope event) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(topic, event.domain().value().getBytes(StandardCharsets.UTF_8), CODEC.encodeState(event.state())))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static long count(String topic, String domain, Class<?> type) {
        return events(topic, domain).stream().filter(e -> type.isInstance(e.payload())).count();
    }

    private static List<EventEnvelope> events(String topic, String domain) {
        List<EventEnvelope> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "timer-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long quietSince = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline && System.nanoTime() - quietSince < Duration.ofSeconds(2).toNanos()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    EventEnvelope event = CODEC.decode(record.value());
                    if (event.domain().value().equals(domain)) {
                        found.add(event);
                    }
                    quietSince = System.nanoTime();
                }
            }
        }
        return found;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration patience, String what) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for: %s", patience, what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
