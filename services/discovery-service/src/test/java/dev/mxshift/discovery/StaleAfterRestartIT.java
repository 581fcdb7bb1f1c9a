package dev.mxshift.discovery;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.service.EventLogConsumer;
import dev.mxshift.service.EventLogTestClient;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A discovery service that starts fresh (no memory, a new consumer group) learns from the state topic what every
 * domain has already been through: the domain's old events and an inventory imported again are stale, counted, and
 * not acted on. The domain's latest event itself is not stale (a service that starts late must still act on it;
 * decision 0015); here it is validation's to act on, so discovery only reads it.
 */
class StaleAfterRestartIT {

    @Test
    void aFreshProcessTreatsWhatTheStateTopicHasSeenAsStale() throws Exception {
        TopicSpec events = TestTopics.unique(TopicCatalogue.defaults().events());
        TopicSpec state = TestTopics.unique(TopicCatalogue.defaults().state());
        TestTopics.createWithDeadLetters(KafkaTestBroker.bootstrapServers(), events, state);
        DomainHistory history = DomainHistory.of(DomainName.of("seen-before.example"));
        history.add(CooperativeWorld.successorOf(history.state()));
        history.add(CooperativeWorld.successorOf(history.state()));
        EventEnvelope requested = history.events().get(0);
        // Its history as the services wrote it before this process existed, and the state after it...
        EventLogTestClient.produce(events.name(), history.events());
        EventLogTestClient.produceState(state.name(), history.state());
        // ...and the same inventory imported again.
        EventLogTestClient.produce(events.name(), List.of(requested));

        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(DiscoveryServiceApplication.class).run(
                "--spring.main.web-application-type=none",
                "--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--spring.cloud.stream.bindings.events-in-0.destination=" + events.name(),
                "--spring.cloud.stream.bindings.events-out-0.destination=" + events.name(),
                "--mxshift.events.state-topic=" + state.name(),
                "--spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name=" + events.name() + ".dlt",
                // Were it to act, it would ask a resolver that is not there and append a failure.
                "--mxshift.discovery.resolvers=127.0.10.99:5399", "--mxshift.discovery.query-timeout=200ms")) {
            MeterRegistry meters = service.getBean(MeterRegistry.class);
            // No pause for "nothing acted on": an event is counted as owned (acted on) when it is read, so once the
            // service has read the log to its end (both stale events and the latest one) the verdict is in.
            await("the service read the log to its end").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> stale(meters) >= 2 && consumed(meters, "false") >= 1);
            assertThat(stale(meters)).as("the old event and the repeat").isEqualTo(2);
            // Stale events stop before routing; the latest event is read but owned by validation: nothing was
            // looked up or appended.
            assertThat(consumed(meters, "false")).as("the latest event, read").isEqualTo(1);
            assertThat(meters.find(EventLogConsumer.CONSUMED).tag("owned", "true").counters()).as("nothing acted on").isEmpty();
            assertThat(meters.find(DiscoveryHandler.OUTCOMES).counters()).isEmpty();
        }
    }

    private static double consumed(MeterRegistry meters, String owned) {
        return meters.find(EventLogConsumer.CONSUMED).tag("owned", owned).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static double stale(MeterRegistry meters) {
        return meters.find(EventLogConsumer.STALE).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
