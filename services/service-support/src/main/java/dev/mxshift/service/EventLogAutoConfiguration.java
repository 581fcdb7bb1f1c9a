package dev.mxshift.service;

import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicReplication;
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
import org.springframework.context.annotation.DependsOn;
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

    /**
     * The binder's transactional ids: pooled, {@link TransactionFencing#SUFFIXES} per prefix, and reused; every one a
     * killed predecessor left open under this instance's prefix fenced before this instance consumes (aborted now, not
     * when the broker's timeout ends it); and every one whose producer the factory discards with its transaction open
     * (a fatal producer error) fenced at once, off the consumer thread ({@link OrphanedTransactionFencing}, issue 33).
     */
    @Bean(destroyMethod = "close")
    OrphanedTransactionFencing orphanedTransactionFencing(BinderFactory binders, KafkaClientSettings kafka,
                                                          @Value("${spring.cloud.stream.kafka.binder.transaction.transaction-id-prefix:}") String prefix) {
        if (prefix.isBlank()) {
            // Appends are sent without waiting for each acknowledgement: only the transaction's commit proves them taken.
            throw new IllegalStateException("the event log needs a transactional binder: set"
                    + " spring.cloud.stream.kafka.binder.transaction.transaction-id-prefix (decisions 0015 and 0018)");
        }
        KafkaClients clients = new KafkaClients(kafka);
        OrphanedTransactionFencing fencing = OrphanedTransactionFencing.install(transactionalProducers(binders), clients, prefix);
        TransactionFencing.fence(clients, List.of(prefix));
        return fencing;
    }

    @Bean
    EventAppender eventAppender(StreamBridge bridge, EventCodec codec, BinderFactory binders, MeterRegistry meters,
                                OrphanedTransactionFencing fencing,
                                @Value("${spring.cloud.stream.kafka.binder.transaction.transaction-id-prefix:}") String prefix,
                                @Value("${spring.cloud.stream.bindings." + EventAppender.BINDING + ".destination}") String eventsTopic) {
        // Appends from threads other than the consumer's (a timer) get a transaction of their own, on the binder's
        // transactional producers (the Spring Cloud Stream reference, "Transactional Binder"), after their ids are pooled
        // and fenced (the fencing parameter orders the beans).
        ProducerFactory<byte[], byte[]> producers = transactionalProducers(binders);
        KafkaTransactionManager<byte[], byte[]> manager = new KafkaTransactionManager<>(producers);
        manager.setTransactionIdPrefix(prefix + "own-");
        TransactionTemplate own = new TransactionTemplate(manager);
        return new EventAppender(bridge, producers, eventsTopic, codec, own, meters);
    }

    private static ProducerFactory<byte[], byte[]> transactionalProducers(BinderFactory binders) {
        return ((KafkaMessageChannelBinder) binders.getBinder(null, MessageChannel.class)).getTransactionalProducerFactory();
    }

    /**
     * The topics as this deployment configures them: the partition count ({@code mxshift.topics.partitions}, which the
     * binder's min-partition-count follows), the replication factor and min.insync.replicas ({@code mxshift.topics.*},
     * default 1 and 1 for the development broker; 3 and 2 on a production cluster, decision 0043).
     */
    @Bean
    TopicCatalogue topicCatalogue(@Value("${spring.cloud.stream.kafka.binder.min-partition-count:" + TopicCatalogue.DEFAULT_PARTITIONS + "}") int partitions,
                                  @Value("${" + TopicCheck.REPLICATION_KEY + ":1}") int replicationFactor,
                                  @Value("${" + TopicCheck.MIN_INSYNC_KEY + ":1}") int minInsync) {
        try {
            return new TopicCatalogue(partitions, new TopicReplication(replicationFactor, minInsync));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TopicCheck.REPLICATION_KEY + " (" + TopicCheck.REPLICATION_ENV + ") and " + TopicCheck.MIN_INSYNC_KEY
                    + " (" + TopicCheck.MIN_INSYNC_ENV + "): " + e.getMessage(), e);
        }
    }

    /**
     * The topics, as the catalogue says (kept forever, compacted, replicated as configured), before any binding creates
     * them with broker defaults, and checked: the service refuses to start on topics that contradict the catalogue
     * ({@link TopicCheck}). The event log, the state topic, the dead letters and every {@link ServiceTopics} the service
     * declares, in one request.
     */
    @Bean
    ProvisionedTopics provisionedTopics(ServiceRole role, KafkaClientSettings kafka, TopicCatalogue catalogue, ObjectProvider<ServiceTopics> more,
                                        @Value("${spring.cloud.stream.bindings.events-in-0.destination}") String eventsTopic,
                                        @Value("${mxshift.events.state-topic}") String stateTopic,
                                        @Value("${spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name:}") String deadLetters) {
        List<TopicSpec> specs = new java.util.ArrayList<>(List.of(catalogue.events().named(eventsTopic), catalogue.state().named(stateTopic)));
        if (!deadLetters.isBlank()) {
            specs.add(catalogue.deadLetters(role).named(deadLetters));
        }
        more.orderedStream().forEach(topics -> specs.addAll(topics.specs()));
        TopicProvisioner.ensure(kafka, catalogue.replication(), specs);
        TopicProvisioner.requireSamePartitions(kafka, eventsTopic, stateTopic);
        return new ProvisionedTopics(specs);
    }

    /**
     * This process's share of the state projection, once the topics are there and checked. Hand-built: Kafka Streams was
     * measured against it and not adopted ({@code mxshift.events.state-projection} names it no more; decision 0039).
     */
    @Bean(destroyMethod = "close")
    StateProjection stateProjector(ProvisionedTopics topics, KafkaClientSettings kafka, EventCodec codec, MeterRegistry meters, Environment env,
                                  @Value("${spring.cloud.stream.bindings.events-in-0.destination}") String eventsTopic,
                                  @Value("${mxshift.events.state-topic}") String stateTopic,
                                  @Value("${spring.application.name}-${mxshift.instance-id:0}") String instance,
                                  @Value("${mxshift.events.state-projection:hand-built}") String projection) {
        if (!projection.equals("hand-built")) {
            throw new IllegalArgumentException("mxshift.events.state-projection (MXSHIFT_STATE_PROJECTION) is '" + projection
                    + "'; only hand-built remains: the Kafka Streams projection cost 1.2 times the CPU per event and was"
                    + " dropped (decision 0039). Remove the setting.");
        }
        // The projector's group takes a killed process for dead as soon as the binder's does (StateProjector.MEMBERSHIP).
        Map<String, String> membership = new java.util.HashMap<>(Binder.get(env)
                .bind("spring.cloud.stream.kafka.binder.consumer-properties", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of()));
        membership.keySet().retainAll(StateProjector.MEMBERSHIP);
        return new StateProjector(kafka, eventsTopic, stateTopic, instance, codec, meters, membership).start();
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
                new EventLogRollback<>(Duration.ofMillis(pauseMillis), (partitions, e) -> consumer.getObject().rolledBack(partitions, e)));
    }

    /**
     * The consumer of the event log. What it and the handlers know of each domain (the latest event, for the stale
     * check; a waiting domain's timer) comes from {@link #partitionHandover} whenever Kafka gives it partitions.
     * After the state projector: its bean provisions the topics before the binding could create them with broker defaults.
     */
    @Bean
    @DependsOn("stateProjector")
    EventLogConsumer events(ServiceRole role, EventCodec codec, ObjectProvider<OwnedEventHandler> handlers,
                                     ObjectProvider<PartitionLifecycle> lifecycles,
                                     MeterRegistry meters, StreamBridge bridge,
                                     @Value("${spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name:}") String deadLetterTopic,
                                     @Value("${spring.cloud.stream.bindings.events-in-0.consumer.max-attempts:4}") int maxAttempts,
                                     @Value("${mxshift.events.handlings-in-flight:1}") int handlingsInFlight, EventAppender appender,
                                     @Value("${spring.cloud.stream.bindings.events-in-0.consumer.back-off-initial-interval:1000}") long pauseMillis) {
        return new EventLogConsumer(role, codec, handlers.orderedStream().toList(), lifecycles.orderedStream().toList(), meters,
                deadLetterTopic.isBlank() ? null : new DeadLetters(bridge, deadLetterTopic, meters), maxAttempts, appender, handlingsInFlight, Duration.ofMillis(pauseMillis));
    }

    /**
     * When the service begins to stop (SIGTERM: Spring Boot's shutdown hook closes the context, which announces it
     * before stopping the binding or closing any bean), the consumer leaves the batch in hand uncommitted.
     */
    @Bean
    org.springframework.context.ApplicationListener<org.springframework.context.event.ContextClosedEvent> eventLogStopping(
            ObjectProvider<EventLogConsumer> consumer, org.springframework.context.ApplicationContext context) {
        // the binder's child contexts announce their closing here too; only the service's own counts
        return closed -> {
            if (closed.getApplicationContext() == context) {
                consumer.ifAvailable(EventLogConsumer::stopping);
            }
        };
    }

    /**
     * Every state of the partitions Kafka gives the consumer, learnt before their records are consumed, and what the
     * handlers keep for partitions Kafka takes away released: timers follow partition ownership (decision 0014). The
     * binder wires the one bean of this type into the consumer binding.
     */
    @Bean
    PartitionHandover partitionHandover(KafkaClientSettings kafka, EventCodec codec, StateProjection projector,
                                        ObjectProvider<EventLogConsumer> consumer, ObjectProvider<PartitionLifecycle> lifecycles,
                                        @Value("${spring.cloud.stream.bindings.events-in-0.destination}") String eventsTopic,
                                        @Value("${mxshift.events.state-topic}") String stateTopic) {
        return new PartitionHandover(kafka, eventsTopic, stateTopic, projector.group(), codec, consumer::getObject,
                () -> lifecycles.orderedStream().toList());
    }
}
