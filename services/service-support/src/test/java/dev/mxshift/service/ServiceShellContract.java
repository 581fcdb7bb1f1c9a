package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every service shell must do, against a real broker: consume the event log in its own consumer group,
 * decode with the shared codec, tell the events it owns from the rest, dead-letter a poison record with its
 * reason without stopping, and report health and metrics through Actuator. Each service's IT extends this.
 * The topics get a unique suffix per run; {@link #theConfigurationNamesTheCataloguesTopicsAndTheServicesGroup}
 * checks that the service's own configuration uses the catalogue's names.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.context.annotation.Import(ServiceShellContract.FailsForSomeDomains.class)
public abstract class ServiceShellContract {

    /**
     * Kafka's size limit for one record batch of the test's event log ({@code max.message.bytes}): far above any event
     * of a migration, below the events the handler makes too large ({@link FailsForSomeDomains}).
     */
    static final int EVENT_SIZE_LIMIT = 200_000;
    private static final TopicSpec EVENTS = sizeLimited(TestTopics.unique(TopicCatalogue.defaults().events()));
    private static final String DEAD_LETTERS = EVENTS.name() + ".dlt";
    private static final TopicSpec STATE = TestTopics.unique(TopicCatalogue.defaults().state());
    private static final EventCodec CODEC = new EventCodec();

    @Autowired
    private MeterRegistry meters;
    @Autowired
    private FailsForSomeDomains handler;
    @Autowired
    private EventAppender appender;
    @Autowired
    private ServiceRole role;
    @LocalServerPort
    private int port;

    /** The role the service under test plays. */
    protected abstract ServiceRole expectedRole();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        String bootstrap = KafkaTestBroker.bootstrapServers();
        TestTopics.create(bootstrap, EVENTS, STATE, new TopicSpec(DEAD_LETTERS, EVENTS.key(), EVENTS.partitions(), EVENTS.config(), "test"));
        registry.add("spring.cloud.stream.kafka.binder.brokers", () -> bootstrap);
        registry.add("spring.cloud.stream.bindings.events-in-0.destination", EVENTS::name);
        registry.add("spring.cloud.stream.bindings.events-out-0.destination", EVENTS::name);
        registry.add("mxshift.events.state-topic", STATE::name);
        registry.add("spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name", () -> DEAD_LETTERS);
        // The pause before a rolled-back batch comes again, and the first pause (doubling after it) before a failed
        // concurrent handling is tried again: 1 s in the services. The contract counts the attempts and the dead
        // letters, not the time between them, so it waits 100 ms.
        registry.add("spring.cloud.stream.bindings.events-in-0.consumer.back-off-initial-interval", () -> "100");
    }

    private static TopicSpec sizeLimited(TopicSpec spec) {
        Map<String, String> config = new java.util.HashMap<>(spec.config());
        config.put("max.message.bytes", Integer.toString(EVENT_SIZE_LIMIT));
        return new TopicSpec(spec.name(), spec.key(), spec.partitions(), config, spec.purpose());
    }

    @Test
    void theConfigurationNamesTheCataloguesTopicsAndTheServicesGroup() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Properties config = yaml.getObject();
        TopicCatalogue catalogue = TopicCatalogue.defaults();
        assertThat(role).isEqualTo(expectedRole());
        assertThat(config.getProperty("spring.cloud.stream.bindings.events-in-0.destination")).isEqualTo(catalogue.events().name());
        assertThat(config.getProperty("spring.cloud.stream.bindings.events-in-0.group")).isEqualTo(role.serviceName());
        assertThat(config.getProperty("spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name"))
                .isEqualTo(catalogue.deadLetters(role).name());
        assertThat(config.getProperty("spring.cloud.stream.bindings.events-out-0.destination")).isEqualTo(catalogue.events().name());
        assertThat(config.getProperty("mxshift.events.state-topic")).isEqualTo(catalogue.state().name());
        assertThat(config.getProperty("spring.application.name")).isEqualTo(role.serviceName());
    }

    @Test
    void itConsumesTheEventLogInItsOwnGroupAndTellsTheEventsItOwnsFromTheRest() throws Exception {
        List<EventEnvelope> events = CooperativeWorld.migrated(DomainName.of("shell-" + UUID.randomUUID().toString().substring(0, 8) + ".example")).events();
        long owned = events.stream().filter(e -> Workflow.next(e.state()).owner() == role).count();
        double ownedBefore = consumed(true);
        double otherBefore = consumed(false);

        produce(events.stream().map(e -> new ProducerRecord<>(EVENTS.name(), e.domain().value().getBytes(StandardCharsets.UTF_8), CODEC.encode(e))).toList());

        awaitTrue(() -> consumed(true) + consumed(false) >= ownedBefore + otherBefore + events.size(), "all events consumed");
        assertThat(consumed(true) - ownedBefore).isEqualTo(owned);
        assertThat(consumed(false) - otherBefore).isEqualTo(events.size() - owned);
        assertThat(owned).as("a whole migration has events %s owns", role).isPositive();

        try (Admin admin = clients().admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(role.serviceName())).all()
                    .get(30, TimeUnit.SECONDS).get(role.serviceName());
            assertThat(group.members()).isNotEmpty();
            assertThat(group.members()).anySatisfy(m -> assertThat(m.assignment().topicPartitions())
                    .anySatisfy(tp -> assertThat(tp.topic()).isEqualTo(EVENTS.name())));
        }
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicWithItsReasonAndThePartitionGoesOn() throws Exception {
        byte[] key = "poison.example".getBytes(StandardCharsets.UTF_8);
        EventEnvelope good = CooperativeWorld.migrated(DomainName.of("poison.example")).events().get(0);
        double before = consumed(true) + consumed(false);

        produce(List.of(new ProducerRecord<>(EVENTS.name(), key, "{not json".getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<>(EVENTS.name(), key, CODEC.encode(good))));

        awaitTrue(() -> consumed(true) + consumed(false) >= before + 1, "the event after the poison record consumed");
        ConsumerRecord<byte[], byte[]> dead = firstRecordOf(DEAD_LETTERS);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(new String(dead.headers().lastHeader("x-exception-message").value(), StandardCharsets.UTF_8)).contains("not JSON");
        assertThat(new String(dead.headers().lastHeader("x-original-topic").value(), StandardCharsets.UTF_8)).isEqualTo(EVENTS.name());
    }

    /**
     * Issue 27: an event that Kafka refuses as too large is no broker outage to wait out. Over the topic's limit the
     * broker refuses it when the batch commits; over the producer's ({@code max.request.size}, 1 MiB) the producer
     * refuses it at once. Either way the record that caused it is dead-lettered with the reason after one handling
     * (a push handler would otherwise call its provider on every retry, forever), and the records after it in its
     * partition are handled.
     */
    @Test
    void aRecordWhoseEventKafkaRefusesAsTooLargeIsDeadLetteredWithItsReasonAndThePartitionGoesOn() throws Exception {
        for (String prefix : List.of("too-large-for-the-topic-", "too-large-for-the-producer-")) {
            long joinedBefore = appender.appendsJoiningTheListenersTransaction();
            Neighbours three = aroundOne(prefix);
            // all in one partition, the refused one's in the middle
            long afterOffset = -1;
            try (KafkaProducer<byte[], byte[]> producer = clients().producer(Map.of())) {
                for (EventEnvelope e : three.all()) {
                    afterOffset = producer.send(new ProducerRecord<>(EVENTS.name(), 0, e.domain().value().getBytes(StandardCharsets.UTF_8),
                            CODEC.encode(e))).get(30, TimeUnit.SECONDS).offset();
                }
            }
            long past = afterOffset + 1;
            // handled is not enough: a batch that can never commit is handled again and again
            org.awaitility.Awaitility.await("the service's offset of partition 0 committed past the record after it (" + prefix + ")")
                    .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> committedOffset(0) >= past);
            assertThat(handler.handled).contains(three.after().domain().value());
            ConsumerRecord<byte[], byte[]> dead = recordOf(DEAD_LETTERS, three.failing().domain().value());
            assertThat(dead.value()).as("the record itself, unchanged").isEqualTo(CODEC.encode(three.failing()));
            assertThat(new String(dead.headers().lastHeader("x-exception-message").value(), StandardCharsets.UTF_8))
                    .contains("Kafka refused an event this record caused").contains("RecordTooLargeException");
            assertThat(handler.handlings.get(three.failing().domain().value())).as("handled once, then dead-lettered (" + prefix + ")").isEqualTo(1);
            assertThat(handler.handled).contains(three.before().domain().value());
            assertThat(recordsWithKey(DEAD_LETTERS, three.before().domain().value()) + recordsWithKey(DEAD_LETTERS, three.after().domain().value()))
                    .as("nothing else dead-lettered").isZero();
            // the refused event was appended in the listener's transaction, straight to its producer (not through the binding)
            assertThat(appender.appendsJoiningTheListenersTransaction() - joinedBefore).as(prefix).isPositive();
        }
    }

    /**
     * The shell's stand-in handler (the service's own is off here): it takes every event this service owns, and its
     * handling of a domain named {@code always-fails-...} throws, as a handler whose resolver or provider is broken does;
     * for a domain named {@code too-large-for-the-topic-...} or {@code too-large-for-the-producer-...} it decides an
     * event too large for the test topic's limit or the producer's, as a provider's long text would make one.
     */
    static final class FailsForSomeDomains implements OwnedEventHandler {
        final java.util.Set<String> handled = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** Every handling per domain, failed or not. */
        final java.util.Map<String, Integer> handlings = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicInteger failedAttempts = new java.util.concurrent.atomic.AtomicInteger();
        /** Handled off the consumer thread where the service's own handler is (discovery, validation). */
        private final boolean concurrent;

        FailsForSomeDomains(@org.springframework.beans.factory.annotation.Value("${mxshift.events.handlings-in-flight:1}") int inFlight) {
            this.concurrent = inFlight > 1;
        }

        @Override
        public boolean handles(dev.mxshift.model.workflow.NextAction action) {
            return true;
        }

        @Override
        public boolean concurrent() {
            return concurrent;
        }

        @Override
        public List<EventEnvelope> handle(EventEnvelope event, dev.mxshift.model.workflow.NextAction action) {
            String domain = event.domain().value();
            int handling = handlings.merge(domain, 1, Integer::sum);
            if (domain.startsWith("always-fails-") || domain.startsWith("fails-once-") && handling == 1) {
                failedAttempts.incrementAndGet();
                throw new IllegalStateException("made to fail: " + event.domain());
            }
            if (domain.startsWith("too-large-for-the-topic-") || domain.startsWith("too-large-for-the-producer-")) {
                // random, so that LZ4 cannot bring it under the limit
                int size = domain.startsWith("too-large-for-the-topic-") ? EVENT_SIZE_LIMIT * 2 : 1_500_000;
                byte[] noise = new byte[size * 3 / 4];
                new java.util.Random(domain.hashCode()).nextBytes(noise);
                handled.add(domain);
                return List.of(Workflow.emit(event.state(), event.tenant(), new dev.mxshift.model.event.MigrationFailed(
                        java.util.Base64.getEncoder().encodeToString(noise)), UUID.randomUUID(), event.eventId(), java.time.Instant.now(),
                        EventCodec.CURRENT_SCHEMA_VERSION));
            }
            handled.add(domain);
            return List.of();
        }
    }

    @Test
    void aRecordWhoseHandlingKeepsFailingIsDeadLetteredAloneAfterItsAttemptsAndTheRecordsAroundItAreHandled() throws Exception {
        Neighbours three = aroundOne("always-fails-");
        EventEnvelope before = three.before();
        EventEnvelope failing = three.failing();
        EventEnvelope after = three.after();

        produce(records(three.all()));

        awaitTrue(() -> handler.handled.containsAll(List.of(before.domain().value(), after.domain().value())), "the records around it handled");
        ConsumerRecord<byte[], byte[]> dead = recordOf(DEAD_LETTERS, failing.domain().value());
        assertThat(dead.value()).as("the record itself, unchanged").isEqualTo(CODEC.encode(failing));
        assertThat(new String(dead.headers().lastHeader("x-exception-message").value(), StandardCharsets.UTF_8))
                .isEqualTo("made to fail: " + failing.domain().value());
        assertThat(handler.failedAttempts.get()).as("handled max-attempts times, then dead-lettered without a fifth try").isEqualTo(4);
        assertThat(handler.handled).doesNotContain(failing.domain().value());
        awaitEverythingCommitted();
        assertThat(recordsWithKey(DEAD_LETTERS, before.domain().value()) + recordsWithKey(DEAD_LETTERS, after.domain().value()))
                .as("nothing else dead-lettered").isZero();
    }

    /**
     * Where handlings run concurrently (discovery, validation: dozens of lookups and handshakes per batch), one that
     * fails is tried again alone within its batch; the batch is not rolled back, so its other records are handled
     * once. Elsewhere the batch rolls back and comes again, and the record is handled on its second delivery.
     */
    @Test
    void aHandlingThatFailsOnceIsHandledOnItsSecondAttemptWithoutHandlingItsNeighboursAgainWhenConcurrent() throws Exception {
        Neighbours three = aroundOne("fails-once-");
        // in one transaction, so that they become visible to the service together and come in one batch
        produceAtOnce(records(three.all()));

        awaitTrue(() -> handler.handled.containsAll(three.all().stream().map(e -> e.domain().value()).toList()), "all three handled");
        assertThat(handler.handlings.get(three.failing().domain().value())).as("failed once, then handled").isEqualTo(2);
        if (handler.concurrent()) {
            assertThat(handler.handlings.get(three.before().domain().value())).as("not handled again for its neighbour's failure").isEqualTo(1);
            assertThat(handler.handlings.get(three.after().domain().value())).as("not handled again for its neighbour's failure").isEqualTo(1);
        }
        awaitEverythingCommitted();
        assertThat(recordsWithKey(DEAD_LETTERS, three.failing().domain().value())).as("not dead-lettered").isZero();
    }

    /** The first owned events of three new domains, in log order; the middle one is made to fail. */
    private record Neighbours(EventEnvelope before, EventEnvelope failing, EventEnvelope after) {
        List<EventEnvelope> all() {
            return List.of(before, failing, after);
        }
    }

    /** Three new domains; the middle one's name starts with {@code failingPrefix}. */
    private Neighbours aroundOne(String failingPrefix) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return new Neighbours(firstOwned(DomainName.of("before-" + suffix + ".example")),
                firstOwned(DomainName.of(failingPrefix + suffix + ".example")), firstOwned(DomainName.of("after-" + suffix + ".example")));
    }

    private static List<ProducerRecord<byte[], byte[]>> records(List<EventEnvelope> events) {
        return events.stream()
                .map(e -> new ProducerRecord<>(EVENTS.name(), e.domain().value().getBytes(StandardCharsets.UTF_8), CODEC.encode(e))).toList();
    }

    /** The first event of a whole migration of {@code domain} whose next action this service owns. */
    private EventEnvelope firstOwned(DomainName domain) {
        return CooperativeWorld.migrated(domain).events().stream().filter(e -> Workflow.next(e.state()).owner() == role)
                .findFirst().orElseThrow();
    }

    @Test
    void healthAndPrometheusMetricsAreServedByActuator() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("binders");

        produce(List.of(new ProducerRecord<>(EVENTS.name(), "metrics.example".getBytes(StandardCharsets.UTF_8),
                CODEC.encode(CooperativeWorld.migrated(DomainName.of("metrics.example")).events().get(0)))));
        awaitTrue(() -> consumed(true) + consumed(false) >= 1, "an event consumed");
        HttpResponse<String> prometheus = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("mxshift_events_consumed_total{");
    }

    /** The service group's committed offset in a partition of the event log, or -1. */
    private long committedOffset(int partition) {
        return committedOffsets().getOrDefault(partition, -1L);
    }

    /** The service group's committed offsets in the event log, by partition. */
    private Map<Integer, Long> committedOffsets() {
        try (Admin admin = clients().admin()) {
            Map<Integer, Long> offsets = new java.util.HashMap<>();
            admin.listConsumerGroupOffsets(role.serviceName()).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((p, committed) -> {
                        if (committed != null && p.topic().equals(EVENTS.name())) {
                            offsets.put(p.partition(), committed.offset());
                        }
                    });
            return offsets;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the committed offsets of " + role.serviceName(), e);
        }
    }

    /**
     * Waits until the service has committed its offsets past every event produced so far: whatever it dead-letters for
     * them commits in the same transaction, so it is on the dead-letter topic by then, and what is not there was not
     * dead-lettered.
     */
    private void awaitEverythingCommitted() {
        // past each partition's last committed record, where the service's commit lands (one past a transaction marker
        // that ends a partition is not: the service commits the offset after the last record it consumed)
        Map<Integer, Long> past = new java.util.HashMap<>();
        TopicToEnd.read(KafkaTestBroker.bootstrapServers(), EVENTS.name(), Duration.ofSeconds(20),
                r -> past.merge(r.partition(), r.offset() + 1, Math::max));
        org.awaitility.Awaitility.await("the service's offsets committed past every event produced").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).pollDelay(Duration.ZERO).until(() -> {
                    Map<Integer, Long> committed = committedOffsets();
                    return past.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
                });
    }

    private double consumed(boolean owned) {
        return meters.find(EventLogConsumer.CONSUMED).tag("owned", Boolean.toString(owned)).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = clients().producer(Map.of())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void produceAtOnce(List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = clients().producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "shell-contract-" + UUID.randomUUID()))) {
            producer.initTransactions();
            producer.beginTransaction();
            records.forEach(producer::send);
            producer.commitTransaction();
        }
    }

    private static ConsumerRecord<byte[], byte[]> recordOf(String topic, String key) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        org.awaitility.Awaitility.await("a record with key " + key + " on " + topic).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).pollDelay(Duration.ZERO).ignoreExceptions().until(() -> {
                    allRecordsOf(topic).stream().filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key))
                            .findFirst().ifPresent(found::add);
                    return !found.isEmpty();
                });
        return found.get(0);
    }

    private static long recordsWithKey(String topic, String key) {
        return allRecordsOf(topic).stream().filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key)).count();
    }

    /**
     * What the topic holds now: read to its end offsets, committed records only. A check that something was not
     * dead-lettered first awaits the service's offsets past the records ({@link #awaitEverythingCommitted}): a dead
     * letter commits in the transaction that moves them, so it is on the topic by then.
     */
    private static List<ConsumerRecord<byte[], byte[]>> allRecordsOf(String topic) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        // false: the topic does not exist (yet), so it holds nothing
        TopicToEnd.read(KafkaTestBroker.bootstrapServers(), topic, Duration.ofSeconds(20), got::add);
        return got;
    }

    private static ConsumerRecord<byte[], byte[]> firstRecordOf(String topic) {
        List<List<ConsumerRecord<byte[], byte[]>>> got = new ArrayList<>();
        org.awaitility.Awaitility.await("a record on " + topic).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .pollDelay(Duration.ZERO).ignoreExceptions().until(() -> {
                    got.add(0, allRecordsOf(topic));
                    return !got.get(0).isEmpty();
                });
        return got.get(0).get(0);
    }

    /** The test's Kafka clients, from the one client factory the services use (decision 0022). */
    private static KafkaClients clients() {
        return new KafkaClients(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()));
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
    }
}
