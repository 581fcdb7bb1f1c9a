package dev.mxshift.service;

import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.workflow.ServiceRole;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;

import java.util.function.Consumer;

/**
 * Binds a service to the event log. The function bean is called {@code events}, so every service's binding is
 * {@code events-in-0}; its destination, consumer group and dead-letter topic are set in the service's
 * {@code application.yml} from the topic catalogue (a test checks they agree).
 */
@AutoConfiguration
public class EventLogAutoConfiguration {

    @Bean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    ServiceRole serviceRole(@Value("${mxshift.service.role}") String role) {
        try {
            return ServiceRole.valueOf(role);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mxshift.service.role must be one of DISCOVERY, VALIDATION, RECORD_GENERATION, DNS_PUSH; got '" + role + "'", e);
        }
    }

    @Bean
    EventAppender eventAppender(StreamBridge bridge, EventCodec codec) {
        return new EventAppender(bridge, codec);
    }

    /**
     * The consumer of the event log. At start it reads the state topic once: it learns every domain's latest
     * sequence, so that what the service already acted on before a restart is stale after it (an inventory imported
     * again, a record delivered again because its offset was not committed), and hands each state to the handlers
     * (the push service's wait timers recover from it).
     */
    @Bean
    Consumer<Message<byte[]>> events(ServiceRole role, EventCodec codec, ObjectProvider<OwnedEventHandler> handlers,
                                     MeterRegistry meters,
                                     @Value("${spring.cloud.stream.kafka.binder.brokers:}") String bootstrap,
                                     @Value("${spring.cloud.stream.bindings.state-out-0.destination:}") String stateTopic) {
        java.util.List<OwnedEventHandler> all = handlers.orderedStream().toList();
        EventLogConsumer consumer = new EventLogConsumer(role, codec, all, meters);
        if (!bootstrap.isBlank() && !stateTopic.isBlank()) {
            StateTopicReader.forEach(bootstrap, stateTopic, java.time.Duration.ofSeconds(60), state -> {
                consumer.remember(state.domain().value(), state.sequence());
                all.forEach(h -> h.recovered(state));
            });
        }
        return consumer;
    }
}
