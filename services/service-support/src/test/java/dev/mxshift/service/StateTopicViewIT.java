package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.mxshift.model.testing.CooperativeWorld.successorOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one reader of the state topic on a real broker. The operator's view: the first refresh reads everything, later
 * ones only what was appended since, decoding a domain's last state once per refresh, and the answer is always the
 * one a full read of the topic gives. A service's read of its partitions, and the wave gate's follower.
 */
class StateTopicViewIT {

    private static final EventCodec CODEC = new EventCodec();
    private final KafkaClientSettings kafka = KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers());
    private final Map<String, DomainHistory> histories = new LinkedHashMap<>();
    private String topic;

    @BeforeEach
    void topic() throws Exception {
        topic = "state-view-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void laterRefreshesReadOnlyWhatWasAppendedAndAgreeWithAFullRead() throws Exception {
        try (StateTopicView view = new StateTopicView(kafka, topic, Duration.ofSeconds(60))) {
            // a.example moves twice, b and c once: four records, three domains
            publish("a.example", "b.example", "c.example", "a.example");
            StateTopicView.Snapshot first = view.refresh();
            assertThat(sequences(first)).containsExactlyInAnyOrderEntriesOf(Map.of("a.example", 2L, "b.example", 1L, "c.example", 1L));
            assertThat(view.counts()).isEqualTo(new StateTopicView.Counts(1, 4, 3));
            assertThat(first.ends().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);

            StateTopicView.Snapshot unchanged = view.refresh();
            assertThat(unchanged.states()).isEqualTo(first.states());
            assertThat(unchanged.ends()).isEqualTo(first.ends());
            assertThat(view.counts()).as("a refresh with nothing new reads nothing").isEqualTo(new StateTopicView.Counts(2, 4, 3));

            // b.example moves three times and d.example arrives: four more records, two domains
            publish("b.example", "d.example", "b.example", "b.example");
            StateTopicView.Snapshot second = view.refresh();
            assertThat(sequences(second)).containsExactlyInAnyOrderEntriesOf(
                    Map.of("a.example", 2L, "b.example", 4L, "c.example", 1L, "d.example", 1L));
            assertThat(view.counts()).as("only the new records are read, and each domain's last one decoded")
                    .isEqualTo(new StateTopicView.Counts(3, 8, 5));
            assertThat(second.ends().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(8);

            Map<DomainName, MigrationState> full = new LinkedHashMap<>();
            StateTopicView.forEach(kafka, topic, p -> true, Duration.ofSeconds(60), s -> full.put(s.domain(), s));
            assertThat(second.states()).as("what a full read of the topic gives").isEqualTo(full);
        }
    }

    @Test
    void aRecordThatIsNotAStateLeavesItsDomainAsItWas() throws Exception {
        try (StateTopicView view = new StateTopicView(kafka, topic, Duration.ofSeconds(60))) {
            publish("e.example");
            MigrationState before = view.refresh().states().get(DomainName.of("e.example"));
            send("e.example", "{\"not\":\"a state\"}".getBytes(StandardCharsets.UTF_8));
            StateTopicView.Snapshot after = view.refresh();
            assertThat(after.states()).containsOnlyKeys(DomainName.of("e.example"));
            assertThat(after.states().get(DomainName.of("e.example"))).isEqualTo(before);
            publish("e.example");
            assertThat(view.refresh().states().get(DomainName.of("e.example")).sequence()).isEqualTo(2);
        }
    }

    @Test
    void aTopicThatDoesNotExistIsNamed() {
        try (StateTopicView view = new StateTopicView(kafka, "no-such-state-topic-" + UUID.randomUUID(), Duration.ofSeconds(5))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(view::refresh)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no-such-state-topic-");
        }
    }

    @Test
    void statesOfAnAbortedProjectionAreNotShown() throws Exception {
        DomainHistory h = DomainHistory.of(DomainName.of("f.example"));
        h.add(successorOf(h.state()));
        MigrationState aborted = h.state();
        h.add(successorOf(h.state()));
        MigrationState committed = h.state();
        try (StateTopicView view = new StateTopicView(kafka, topic, Duration.ofSeconds(60));
             KafkaProducer<byte[], byte[]> producer = new KafkaClients(kafka).producer(Map.of(
                     ProducerConfig.TRANSACTIONAL_ID_CONFIG, "state-view-test-" + UUID.randomUUID()))) {
            byte[] key = "f.example".getBytes(StandardCharsets.UTF_8);
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, key, CODEC.encodeState(aborted))).get(30, TimeUnit.SECONDS);
            producer.abortTransaction();
            assertThat(view.refresh().states()).isEmpty();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, key, CODEC.encodeState(committed))).get(30, TimeUnit.SECONDS);
            producer.commitTransaction();
            // commitTransaction returns once the coordinator took the commit; the partition's marker, which moves its
            // last stable offset past the record, is written after that (KIP-98): a read at once may still stop before it.
            org.awaitility.Awaitility.await("the committed state, once its transaction's marker is in the partition")
                    .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(view.refresh().states()).containsExactlyEntriesOf(Map.of(DomainName.of("f.example"), committed)));
        }
    }

    @Test
    void aReadOnceHandsOverOnlyTheChosenPartitionsWithEachDomainsLatestLast() throws Exception {
        // g.example on partition 0 moves three times, h.example on partition 1 twice, i.example on partition 2 once
        publishTo(0, "g.example");
        publishTo(1, "h.example");
        publishTo(0, "g.example");
        publishTo(2, "i.example");
        publishTo(1, "h.example");
        publishTo(0, "g.example");
        Map<String, Long> last = new LinkedHashMap<>();
        List<String> seen = new java.util.ArrayList<>();
        long handed = StateTopicView.forEach(kafka, topic, p -> p != 2, Duration.ofSeconds(60), s -> {
            seen.add(s.domain().value());
            assertThat(s.sequence()).as("never an earlier state after a later one").isGreaterThan(last.getOrDefault(s.domain().value(), 0L));
            last.put(s.domain().value(), s.sequence());
        });
        assertThat(last).as("partition 2 was not chosen").containsExactlyInAnyOrderEntriesOf(Map.of("g.example", 3L, "h.example", 2L));
        assertThat(handed).isEqualTo(seen.size()).isBetween(2L, 5L);
        // a domain whose last record is not a state: the state before it is handed over
        publishTo(2, "i.example");
        sendTo(2, "i.example", "{\"not\":\"a state\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, Long> third = new LinkedHashMap<>();
        StateTopicView.forEach(kafka, topic, p -> p == 2, Duration.ofSeconds(60), s -> third.merge(s.domain().value(), s.sequence(), Math::max));
        assertThat(third).containsExactlyEntriesOf(Map.of("i.example", 2L));
        assertThat(StateTopicView.forEach(kafka, "no-such-state-topic-" + UUID.randomUUID(), p -> true, Duration.ofSeconds(5), s -> seen.add("?")))
                .as("a topic that does not exist yet holds no state").isZero();
    }

    @Test
    void aFollowerHandsOverStatesAsTheyComeAndWaitsForATopicNotYetMade() throws Exception {
        String later = "state-follow-" + UUID.randomUUID();
        Map<String, Long> seen = new java.util.concurrent.ConcurrentHashMap<>();
        try (AutoCloseable follower = StateTopicView.follow(kafka, later, "state-view-it-follower",
                s -> seen.merge(s.domain().value(), s.sequence(), Math::max))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic(later, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            topic = later;
            publish("j.example", "k.example");
            org.awaitility.Awaitility.await("the states written once the topic exists").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.of("j.example", 1L, "k.example", 1L)));
            send("j.example", "{\"not\":\"a state\"}".getBytes(StandardCharsets.UTF_8));
            publish("j.example", "j.example");
            org.awaitility.Awaitility.await("the later states, past a record that is not one").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.of("j.example", 3L, "k.example", 1L)));
        }
    }

    /** As {@link #publish}, to the partition named. */
    private void publishTo(int partition, String domain) throws Exception {
        DomainHistory h = histories.computeIfAbsent(domain, k -> DomainHistory.of(DomainName.of(k)));
        h.add(successorOf(h.state()));
        sendTo(partition, domain, CODEC.encodeState(h.state()));
    }

    private void sendTo(int partition, String domain, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaClients(kafka).producer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, partition, domain.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Advances each named domain by one event and writes its new state, keyed by domain, as the projector does. */
    private void publish(String... domains) throws Exception {
        for (String d : domains) {
            DomainHistory h = histories.computeIfAbsent(d, k -> DomainHistory.of(DomainName.of(k)));
            h.add(successorOf(h.state()));
            send(d, CODEC.encodeState(h.state()));
        }
    }

    private void send(String domain, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaClients(kafka).producer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, domain.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Long> sequences(StateTopicView.Snapshot snapshot) {
        Map<String, Long> m = new LinkedHashMap<>();
        snapshot.states().forEach((d, s) -> m.put(d.value(), s.sequence()));
        return m;
    }
}
