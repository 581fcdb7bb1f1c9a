package dev.mxshift.recordgeneration;

import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.service.EventAppender;
import dev.mxshift.service.EventWriter;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.service.SecretReference;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.StateTopicView;
import dev.mxshift.service.ProvisionedTopics;
import dev.mxshift.service.ServiceTopics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The record-generation service's adapters, from {@code mxshift.record-generation.*} in application.yml. */
@Configuration
class RecordGenerationConfiguration {

    /** Off only where a test exercises the bare shell (ServiceShellContract). */
    @Bean
    @ConditionalOnProperty(name = "mxshift.record-generation.handler.enabled", havingValue = "true", matchIfMissing = true)
    RecordGenerationHandler recordGenerationHandler(@Value("${mxshift.record-generation.lowered-ttl}") long loweredTtl,
                                                    @Value("${mxshift.record-generation.restored-ttl}") String restoredTtl,
                                                    @Value("${mxshift.record-generation.approved-checksums-file}") String approved,
                                                    EventAppender appender, MeterRegistry meters, WaveGatekeeper gate) {
        Long restored = restoredTtl.isBlank() ? null : Long.valueOf(restoredTtl.trim());
        PlanOptions base = new PlanOptions(loweredTtl, restored);
        return new RecordGenerationHandler(() -> approved.isBlank() ? base : base.reviewed(ReviewedChecksums.read(Path.of(approved))),
                appender, Clock.systemUTC(), meters, gate);
    }

    /** The wave gate's limits (decision 0017); a bad value stops the service with the key named. */
    @Bean
    @ConditionalOnProperty(name = "mxshift.record-generation.handler.enabled", havingValue = "true", matchIfMissing = true)
    WaveGatekeeper waveGatekeeper(@Value("${mxshift.record-generation.wave-gate.max-in-flight-per-wave}") int perWave,
                                  @Value("${mxshift.record-generation.wave-gate.max-tenant-percent}") int tenantPercent,
                                  @Value("${mxshift.record-generation.wave-gate.canary-waves}") String canaries,
                                  @Value("${mxshift.record-generation.wave-gate.grace}") Duration grace) {
        List<String> canaryWaves = Arrays.stream(canaries.split(",")).map(String::strip).filter(w -> !w.isEmpty()).toList();
        WaveLimits limits;
        try {
            limits = new WaveLimits(perWave, tenantPercent, canaryWaves);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("mxshift.record-generation.wave-gate: " + e.getMessage(), e);
        }
        return new WaveGatekeeper(limits, grace, System::nanoTime);
    }

    /** Every domain's state, all partitions, for the gate's counts across instances. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "mxshift.record-generation.handler.enabled", havingValue = "true", matchIfMissing = true)
    AutoCloseable waveGateFollower(KafkaClientSettings kafka, @Value("${mxshift.events.state-topic}") String stateTopic,
                                        @Value("${spring.application.name}") String application, WaveGatekeeper gate,
                                        ProvisionedTopics created) {
        return StateTopicView.follow(kafka, stateTopic, application + "-wave-gate", gate::learn);
    }

    /** Asks the gate again, at a fixed interval, about the domains it holds. */
    @Bean(destroyMethod = "shutdownNow")
    @ConditionalOnProperty(name = "mxshift.record-generation.handler.enabled", havingValue = "true", matchIfMissing = true)
    ScheduledExecutorService waveGateRecheck(RecordGenerationHandler handler,
                                             @Value("${mxshift.record-generation.wave-gate.recheck-interval}") Duration interval) {
        return every("wave-gate-recheck", interval, handler::recheck, "the wave gate's re-check failed");
    }

    /**
     * The gate-holds and Graph-targets topics, created and checked with the event log's at start (one request); only
     * where the handler runs, as the publishers that write them.
     */
    @Bean
    @ConditionalOnProperty(name = "mxshift.record-generation.handler.enabled", havingValue = "true", matchIfMissing = true)
    ServiceTopics recordGenerationTopics(TopicCatalogue catalogue,
                                         @Value("${mxshift.record-generation.wave-gate.holds-topic}") String holds,
                                         @Value("${mxshift.record-generation.graph.topic}") String graphTargets) {
        return new ServiceTopics(List.of(catalogue.gateHolds().named(holds), catalogue.graphTargets().named(graphTargets)));
    }

    /** Why each held domain waits, on the gate-holds topic for operators (decision 0017, addendum). */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "mxshift.record-generation.handler.enabled", havingValue = "true", matchIfMissing = true)
    GateHoldPublisher gateHoldPublisher(KafkaClientSettings kafka, @Value("${mxshift.record-generation.wave-gate.holds-topic}") String topic,
                                        ProvisionedTopics created) {
        return new GateHoldPublisher(kafka, topic);
    }

    /** Publishes the gate's holds at a fixed interval, on a thread of its own, so a slow broker never delays a re-check. */
    @Bean(destroyMethod = "shutdownNow")
    @ConditionalOnProperty(name = "mxshift.record-generation.handler.enabled", havingValue = "true", matchIfMissing = true)
    ScheduledExecutorService gateHoldPublishing(GateHoldPublisher publisher, WaveGatekeeper gate,
                                                @Value("${mxshift.record-generation.wave-gate.holds-interval}") Duration interval) {
        return every("wave-gate-holds", interval, () -> publisher.publish(gate.holds()), "the wave gate's holds could not be published");
    }

    /** Microsoft Graph's settings (decision 0034), read once; a bad value stops the service with its key named. */
    @Bean
    GraphSetup graphSetup(@Value("${mxshift.record-generation.graph.base-url}") String baseUrl,
                          @Value("${mxshift.record-generation.graph.token}") String token,
                          @Value("${mxshift.record-generation.graph.tenant-tokens}") String tenantTokens,
                          @Value("${mxshift.record-generation.graph.requests-per-second}") int perSecond,
                          @Value("${mxshift.record-generation.graph.look-again}") Duration lookAgain,
                          @Value("${mxshift.record-generation.graph.look-again-after-problem}") Duration afterProblem,
                          @Value("${mxshift.record-generation.graph.attempts}") int attempts,
                          @Value("${mxshift.record-generation.graph.max-wait}") Duration maxWait) {
        return new GraphSetup(GraphSettings.of(baseUrl, token, tenantTokens, perSecond, lookAgain, afterProblem, attempts, maxWait,
                System::getenv).orElse(null));
    }

    /** Graph's settings, or null where Graph is not configured. */
    record GraphSetup(GraphSettings settings) {
    }

    /** Whether Graph is configured, and what it resolved, for operators; written at start either way. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "mxshift.record-generation.handler.enabled", havingValue = "true", matchIfMissing = true)
    GraphTargetsPublisher graphTargetsPublisher(KafkaClientSettings kafka, GraphSetup graph,
                                                @Value("${mxshift.record-generation.graph.topic}") String topic,
                                                ProvisionedTopics created) {
        GraphTargetsPublisher publisher = new GraphTargetsPublisher(kafka, topic);
        publisher.status(graph.settings());
        return publisher;
    }

    /** Appends Graph's events, from outside the consumer's transaction, as the operator's commands do. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${mxshift.record-generation.graph.base-url:}'.trim() != '' && '${mxshift.record-generation.handler.enabled:true}' == 'true'")
    EventWriter graphEventWriter(KafkaClientSettings kafka, @Value("${spring.cloud.stream.bindings.events-out-0.destination}") String eventsTopic) {
        return new EventWriter(new KafkaClients(kafka), eventsTopic);
    }

    /** The domains waiting for Microsoft's target, looked up in Graph (decision 0034); only where Graph is configured. */
    @Bean
    @ConditionalOnExpression("'${mxshift.record-generation.graph.base-url:}'.trim() != '' && '${mxshift.record-generation.handler.enabled:true}' == 'true'")
    GraphTargetWatcher graphTargetWatcher(GraphSetup graph, EventWriter graphEventWriter, GraphTargetsPublisher publisher, MeterRegistry meters) {
        GraphSettings settings = graph.settings();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Map<SecretReference, GraphTargetSource> sources = new ConcurrentHashMap<>();
        LOG.info("Microsoft Graph at {} gives the target hosts of tenants {}, at most {} lookups a second", settings.baseUrl(),
                settings.tenantsServed(), settings.requestsPerSecond());
        return new GraphTargetWatcher(settings, (state, token) -> sources.computeIfAbsent(token,
                t -> new GraphTargetSource(settings.baseUrl(), t, http, settings.attempts(), settings.maxWait())).lookup(state.domain()),
                graphEventWriter::appendAll, publisher::resolved, Clock.systemUTC(), System::nanoTime, meters);
    }

    /** Asks Graph about the waiting domains whose time has come, on a thread of its own. */
    @Bean(destroyMethod = "shutdownNow")
    @ConditionalOnExpression("'${mxshift.record-generation.graph.base-url:}'.trim() != '' && '${mxshift.record-generation.handler.enabled:true}' == 'true'")
    ScheduledExecutorService graphLookups(GraphTargetWatcher watcher, @Value("${mxshift.record-generation.graph.poll-interval}") Duration interval) {
        return every("microsoft-graph", interval, watcher::lookUpDue, "looking up targets in Microsoft Graph failed");
    }

    /** {@code task} every {@code interval} on a daemon thread of its own; a failure is logged and the next run comes. */
    private static ScheduledExecutorService every(String threadName, Duration interval, Runnable task, String failure) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{} ({}); trying again in {}", failure, e.toString(), interval);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return scheduler;
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecordGenerationConfiguration.class);
}
