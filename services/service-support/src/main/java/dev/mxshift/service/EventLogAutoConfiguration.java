package dev.mxshift.service;

import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.ServiceRole;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.stream.binder.BinderFactory;
import org.springframework.cloud.stream.binder.kafka.KafkaMessageChannelBinder;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.AfterRollbackProcessor;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.messaging.MessageChannel;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    /** The binder's brokers and connection properties (TLS, SASL), for the clients mxshift makes itself. */
    @Bean
    KafkaClientSettings kafkaClientSettings(Environment env,
                                            @Value("${spring.cloud.stream.kafka.binder.brokers:127.0.0.1:9092}") String brokers) {
        Map<String, String> connection = Binder.get(env)
                .bind("spring.cloud.stream.kafka.binder.configuration", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        return new KafkaClientSettings(brokers, connection);
    }

    @Bean
    EventAppender eventAppender(StreamBridge bridge, EventCodec codec, BinderFactory binders, MeterRegistry meters,
                                @Value("${spring.cloud.stream.kafka.binder.transaction.transaction-id-prefix:}") String prefix) {
        if (prefix.isBlank()) {
            // Appends are sent without waiting for each acknowledgement: only the transaction's commit proves them taken.
            throw new IllegalStateException("the event log needs a transactional binder: set"
                    + " spring.cloud.stream.kafka.binder.transaction.transaction-id-prefix (decisions 0015 and 0018)");
        }
        // Appends from threads other than the consumer's (a timer) get a transaction of their own, on the binder's
        // transactional producers (the Spring Cloud Stream reference, "Transactional Binder").
        ProducerFactory<byte[], byte[]> producers =
                ((KafkaMessageChannelBinder) binders.getBinder(null, MessageChannel.class)).getTransactionalProducerFactory();
        KafkaTransactionManager<byte[], byte[]> manager = new KafkaTransactionManager<>(producers);
        manager.setTransactionIdPrefix(prefix + "own-");
        TransactionTemplate own = new TransactionTemplate(manager);
        return new EventAppender(bridge, codec, own, meters);
    }

    /**
     * The topics, as the catalogue says (kept forever, compacted), before any binding creates them with broker
     * defaults; then this process's share of the state projection.
     */
    @Bean(destroyMethod = "close")
    StateProjector stateProjector(ServiceRole role, KafkaClientSettings kafka, EventCodec codec, MeterRegistry meters,
                                  @Value("${spring.cloud.stream.bindings.events-in-0.destination}") String eventsTopic,
                                  @Value("${mxshift.events.state-topic}") String stateTopic,
                                  @Value("${spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name:}") String deadLetters,
                                  @Value("${spring.cloud.stream.kafka.binder.min-partition-count:" + TopicCatalogue.DEFAULT_PARTITIONS + "}") int partitions,
                                  @Value("${spring.cloud.stream.kafka.binder.replication-factor:1}") short replication,
                                  @Value("${spring.application.name}-${mxshift.instance-id:0}") String instance) {
        TopicCatalogue catalogue = new TopicCatalogue(partitions);
        List<TopicSpec> specs = new java.util.ArrayList<>(List.of(catalogue.events().named(eventsTopic), catalogue.state().named(stateTopic)));
        if (!deadLetters.isBlank()) {
            specs.add(catalogue.deadLetters(role).named(deadLetters));
        }
        TopicProvisioner.ensure(kafka, replication, specs);
        TopicProvisioner.requireSamePartitions(kafka, eventsTopic, stateTopic);
        return new StateProjector(kafka, eventsTopic, stateTopic, instance, codec, meters).start();
    }

    /**
     * A batch of the event log that rolled back comes again whole after a pause, never dead-lettered whole
     * ({@link EventLogRollback}); the record at fault is dead-lettered alone by the consumer after its attempts.
     */
    @Bean
    @SuppressWarnings({"rawtypes", "unchecked"})
    ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> eventLogRollback(
            @Value("${spring.cloud.stream.bindings.events-in-0.consumer.back-off-initial-interval:1000}") long pauseMillis,
            ObjectProvider<EventLogConsumer> consumer) {
        return (container, destination, group) -> container.setAfterRollbackProcessor((AfterRollbackProcessor)
                new EventLogRollback<>(Duration.ofMillis(pauseMillis), () -> consumer.getObject().rolledBack()));
    }

    /**
     * The consumer of the event log. At start, once the state projection has caught up with what this service
     * consumed before, it reads the state topic: it learns every domain's latest sequence, so that what the service
     * already acted on before a restart is stale after it (an inventory imported again, a record delivered again
     * because its offset was not committed), and hands each state to the handlers (the push service's wait timers
     * recover from it).
     */
    @Bean
    EventLogConsumer events(ServiceRole role, EventCodec codec, ObjectProvider<OwnedEventHandler> handlers,
                                     MeterRegistry meters, KafkaClientSettings kafka, StateProjector projector, StreamBridge bridge,
                                     @Value("${spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name:}") String deadLetterTopic,
                                     @Value("${spring.cloud.stream.bindings.events-in-0.consumer.max-attempts:4}") int maxAttempts,
                                     @Value("${mxshift.events.handlings-in-flight:1}") int handlingsInFlight, EventAppender appender,
                                     @Value("${spring.cloud.stream.bindings.events-in-0.consumer.back-off-initial-interval:1000}") long pauseMillis,
                                     @Value("${spring.cloud.stream.bindings.events-in-0.destination}") String eventsTopic,
                                     @Value("${spring.cloud.stream.bindings.events-in-0.group}") String group,
                                     @Value("${mxshift.events.state-topic}") String stateTopic) {
        List<OwnedEventHandler> all = handlers.orderedStream().toList();
        EventLogConsumer consumer = new EventLogConsumer(role, codec, all, meters,
                deadLetterTopic.isBlank() ? null : new DeadLetters(bridge, deadLetterTopic, meters), maxAttempts, appender, handlingsInFlight, Duration.ofMillis(pauseMillis));
        ProjectionCatchUp.await(kafka, eventsTopic, group, projector.group(), Duration.ofSeconds(60));
        StateTopicReader.forEach(kafka, stateTopic, p -> true, Duration.ofSeconds(120), state -> {
            consumer.remember(state.domain().value(), state.sequence(), state.lastEventId());
            all.forEach(h -> h.recovered(state));
        });
        // The state topic can miss the log's last events: one a timer appended just before a stop, whose batch here
        // had not committed, is after this group's offsets and may not be projected yet. Its state goes to the
        // handlers too, so that a timer recovered from the older state is replaced, not fired a second time.
        Map<Integer, Long> resumeAt = ProjectionCatchUp.committed(kafka, eventsTopic, group);
        TopicToEnd.read(kafka, eventsTopic, p -> resumeAt.containsKey(p), resumeAt, Duration.ofSeconds(120), record -> {
            try {
                dev.mxshift.model.workflow.MigrationState state = codec.decode(record.value()).state();
                all.forEach(h -> h.recovered(state));
            } catch (dev.mxshift.model.serde.EventDecodingException e) {
                // dead-lettered when the consumer reaches it
            }
        });
        return consumer;
    }
}
