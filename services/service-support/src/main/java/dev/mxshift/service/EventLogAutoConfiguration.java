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

    @Bean
    Consumer<Message<byte[]>> events(ServiceRole role, EventCodec codec, ObjectProvider<OwnedEventHandler> handlers,
                                     MeterRegistry meters) {
        return new EventLogConsumer(role, codec, handlers.orderedStream().toList(), meters);
    }
}
