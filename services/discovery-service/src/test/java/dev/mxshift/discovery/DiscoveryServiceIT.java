package dev.mxshift.discovery;

import dev.mxshift.discovery.inventory.ImportCommand;
import dev.mxshift.lab.LabRun;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.DiscoveryFailed;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.FailureKind;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import dev.mxshift.service.EventLogConsumer;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The discovery service in its place in the system, against the real broker and the lab: the lab's inventory is
 * imported (one "migration requested" per domain), the service discovers every domain through the lab's resolver
 * and appends "discovered" or "discovery failed" as the domain's event 2, caused by the request, with the state
 * the workflow folds to. Importing again writes the same event ids, so nothing is discovered twice.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class DiscoveryServiceIT {

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = TestTopics.unique(TopicCatalogue.defaults().state());
    private static final EventCodec CODEC = new EventCodec();
    private static LabRun lab;

    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void brokerAndLab(DynamicPropertyRegistry registry) {
        String bootstrap = KafkaTestBroker.bootstrapServers();
        TestTopics.create(bootstrap, EVENTS, STATE, new TopicSpec(EVENTS.name() + ".dlt", EVENTS.key(), EVENTS.partitions(), EVENTS.config(), "test"));
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/discovery-service/target/lab-service"));
        DiscoveryEndpoints endpoints = DiscoveryEndpoints.read(lab.endpointsFile());
        registry.add("spring.cloud.stream.kafka.binder.brokers", () -> bootstrap);
        registry.add("spring.cloud.stream.bindings.events-in-0.destination", EVENTS::name);
        registry.add("spring.cloud.stream.bindings.events-out-0.destination", EVENTS::name);
        registry.add("mxshift.events.state-topic", STATE::name);
        registry.add("spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name", () -> EVENTS.name() + ".dlt");
        registry.add("mxshift.discovery.resolvers", () -> endpoints.resolver().getAddress().getHostAddress() + ":" + endpoints.resolver().getPort());
        registry.add("mxshift.discovery.authoritative-ports", () -> endpoints.authoritativePorts().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(",")));
        registry.add("mxshift.discovery.mta-sts-ca-file", () -> endpoints.caFile().toString());
        registry.add("mxshift.discovery.mta-sts-port", endpoints::mtaStsPort);
    }

    @AfterAll
    static void down() {
        lab.close();
    }

    @Test
    void everyImportedDomainGetsItsDiscoveryEventOnceWithTheCataloguesClassification() throws Exception {
        ImportCommand.Result imported = ImportCommand.importFiles(List.of(lab.inventoryFile()), KafkaTestBroker.bootstrapServers(),
                EVENTS.name(), "test");
        assertThat(imported.exitCode()).isZero();
        int domains = lab.tenants().size();
        assertThat(imported.imported()).isEqualTo(domains);

        Map<String, List<EventEnvelope>> byDomain = readUntil(domains * 2, Duration.ofSeconds(120));
        assertThat(byDomain).hasSize(domains);
        for (JsonNode tenant : lab.tenants()) {
            String domain = tenant.path("domain").asString();
            List<EventEnvelope> events = byDomain.get(domain);
            assertThat(events).as("events of %s", domain).hasSize(2);
            EventEnvelope requested = events.get(0);
            EventEnvelope discovery = events.get(1);
            assertThat(requested.payload()).isInstanceOf(MigrationRequested.class);
            assertThat(discovery.sequence()).isEqualTo(2);
            assertThat(discovery.causationId()).isEqualTo(requested.eventId());
            assertThat(discovery.state()).isEqualTo(Workflow.apply(requested.state(), discovery));
            MxClassification expected = MxClassification.valueOf(tenant.path("expect").path("classification").asString());
            if (expected == MxClassification.NXDOMAIN) {
                assertThat(discovery.payload()).isInstanceOfSatisfying(DiscoveryFailed.class,
                        failed -> assertThat(failed.kind()).isEqualTo(FailureKind.PERMANENT));
                assertThat(discovery.state().status()).isEqualTo(WorkflowStatus.DISCOVERY_FAILED);
            } else {
                assertThat(discovery.payload()).as(domain).isInstanceOfSatisfying(Discovered.class,
                        found -> assertThat(found.snapshot().classification()).isEqualTo(expected));
            }
        }

        // Every appended event is counted by type (mxshift.events.produced): one discovery outcome per domain.
        assertThat(meters.find(dev.mxshift.service.EventAppender.PRODUCED).counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(domains);
        assertThat(meters.find(dev.mxshift.service.EventAppender.PRODUCED).tag("type", "DiscoveryFailed").counter().count()).isEqualTo(1);

        // The compacted state topic holds each domain's state after its discovery, as the event carried it.
        Map<String, dev.mxshift.model.workflow.MigrationState> states = latestStates();
        assertThat(states).hasSize(domains);
        for (List<EventEnvelope> events : byDomain.values()) {
            assertThat(states.get(events.get(1).domain().value())).isEqualTo(events.get(1).state());
        }

        // A second import repeats the same requests (same event ids): once the service has read its own events, the
        // repeats are stale triggers, counted and not acted on; the log grows by them and by nothing else.
        await("the service read its own events").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> consumed() >= 2.0 * domains);
        ImportCommand.Result again = ImportCommand.importFiles(List.of(lab.inventoryFile()), KafkaTestBroker.bootstrapServers(),
                EVENTS.name(), "test");
        assertThat(again.imported()).isEqualTo(domains);
        Map<String, List<EventEnvelope>> after = readUntil(domains * 3, Duration.ofSeconds(60));
        assertThat(after.values()).allSatisfy(events -> {
            assertThat(events).hasSize(3);
            assertThat(events.get(2).eventId()).isEqualTo(events.get(0).eventId());
        });
        await("the repeats counted as stale").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> stale() >= domains);
        assertThat(stale()).isEqualTo(domains);
    }

    private static Map<String, dev.mxshift.model.workflow.MigrationState> latestStates() {
        Map<String, dev.mxshift.model.workflow.MigrationState> states = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = reader("discovery-state-it-")) {
            consumer.subscribe(List.of(STATE.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline && System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    states.put(new String(record.key(), StandardCharsets.UTF_8), CODEC.decodeState(record.value()));
                    quietSince = System.nanoTime();
                }
            }
        }
        return states;
    }

    /**
     * A reader of a topic from its start, in a group of its own. It reads uncommitted records too, as this test always
     * has: the events counted and the states compared are every record the service wrote, an aborted or a still open
     * append included, not only what a service (read_committed) would act on.
     */
    private static KafkaConsumer<byte[], byte[]> reader(String groupPrefix) {
        return new KafkaClients(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers())).consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"));
    }

    private double consumed() {
        return meters.find(EventLogConsumer.CONSUMED).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private double stale() {
        return meters.find(EventLogConsumer.STALE).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static Map<String, List<EventEnvelope>> readUntil(int count, Duration patience) {
        Map<String, List<EventEnvelope>> byDomain = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = reader("discovery-it-")) {
            consumer.subscribe(List.of(EVENTS.name()));
            int seen = 0;
            long deadline = System.nanoTime() + patience.toNanos();
            while (seen < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    EventEnvelope event = CODEC.decode(record.value());
                    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.domain().value());
                    byDomain.computeIfAbsent(event.domain().value(), d -> new ArrayList<>()).add(event);
                    seen++;
                }
            }
            assertThat(seen).as("events on %s", EVENTS.name()).isEqualTo(count);
        }
        return byDomain;
    }
}
