package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.ExternalActionConfirmed;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's action is appended once: while the services are down (no state projection runs here), the state topic
 * still shows the domain waiting for its Microsoft-side confirmation, and the command line, the HTTP API and the watcher
 * are each asked to confirm it; the log holds one confirmation, and the later requests say it is already there.
 */
class ActionsOnceIT {

    private final TopicSpec events = TestTopics.unique(TopicCatalogue.defaults().events());
    private final TopicSpec state = TestTopics.unique(TopicCatalogue.defaults().state());

    @Test
    void theSameConfirmationAskedAgainBeforeTheWorkflowAppliesTheFirstIsInTheLogOnce() throws Exception {
        DomainName domain = DomainName.of("contoso.example");
        DomainHistory history = waitingForConfirmation(domain);
        KafkaClientSettings kafka = KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers());

        OperatorCli first = OperatorCli.run(events.name(), state.name(), "confirm", domain.value(), "--wait", "1");
        assertThat(first.all()).as(first.all()).contains("pending").contains("appended as event #" + (history.state().sequence() + 1));

        OperatorCli again = OperatorCli.run(events.name(), state.name(), "confirm", domain.value(), "--wait", "1");
        assertThat(again.all()).as(again.all()).contains("already asked");

        ApiTokens.NewToken noc = ApiTokens.generate("noc", "*");
        Path tokens = Files.createTempFile("api-tokens", "");
        Files.writeString(tokens, noc.line() + "\n");
        try (EventLog log = new EventLog(kafka, events.name(), state.name());
             OperatorApi api = new OperatorApi(new InetSocketAddress("127.0.0.1", 0), log, ApiTokens.read(tokens))) {
            HttpResponse<String> response = ApiFixture.call(ApiFixture.client(null), "http://127.0.0.1:" + api.port() + "/api/v1/actions/confirm",
                    "POST", noc.token(), "{\"domains\":[\"" + domain.value() + "\"]}", "application/json");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("already asked");
        } finally {
            Files.deleteIfExists(tokens);
        }

        // the watcher looks twice (a second apart) and would confirm each time
        OperatorCli watch = OperatorCli.run(events.name(), state.name(), "watch", "--confirm-external", "--timeout", "1", "--interval", "1");
        assertThat(watch.err()).as(watch.all()).contains("already confirmed in the log, not yet applied");

        assertOneConfirmationAdded(kafka, history);
    }

    /**
     * Found by bench/cluster-failures: while a service's transaction on the domain's partition stays open (its
     * coordinator's broker paused), committed readers see nothing past that transaction's start, so the first
     * confirmation, appended without a transaction after it, was invisible to the second request, which appended
     * another (two events with one sequence number). The second request must find the first.
     */
    @Test
    void aConfirmationAppendedBehindAnOpenTransactionIsFoundByTheNextRequest() throws Exception {
        DomainName domain = DomainName.of("fabrikam.example");
        DomainHistory history = waitingForConfirmation(domain);
        KafkaClientSettings kafka = KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers());
        int partition = dev.mxshift.service.EventWriter.partitionOf(domain.value(), events.partitions());
        try (KafkaProducer<byte[], byte[]> service = new KafkaClients(kafka).producer(Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.TRANSACTIONAL_ID_CONFIG, "actions-once-" + events.name()))) {
            service.initTransactions();
            service.beginTransaction();
            // another domain's event on the same partition, in a transaction left open while the operator acts
            service.send(new ProducerRecord<>(events.name(), partition, "other.example".getBytes(StandardCharsets.UTF_8),
                    "not yet committed".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);

            OperatorCli first = OperatorCli.run(events.name(), state.name(), "confirm", domain.value(), "--wait", "1");
            assertThat(first.all()).as(first.all()).contains("appended as event #" + (history.state().sequence() + 1));
            OperatorCli again = OperatorCli.run(events.name(), state.name(), "confirm", domain.value(), "--wait", "1");
            assertThat(again.all()).as(again.all()).contains("already asked");

            service.abortTransaction();
        }
        assertOneConfirmationAdded(kafka, history);
    }

    /**
     * Found by bench/cluster-failures too: a confirmation round read the states slowly while a broker was paused; by the
     * time it looked for the action in the log, the projection had applied an earlier confirmation and the event after
     * it, and committed its offsets past both, so neither the old states nor the events after those offsets held it,
     * and a second confirmation was appended at the same sequence number. The round must see that the domain moved on.
     */
    @Test
    void anActionDecidedFromStatesTheProjectionHasSinceMovedPastIsNotAppended() throws Exception {
        DomainName domain = DomainName.of("northwind.example");
        DomainHistory history = waitingForConfirmation(domain);
        KafkaClientSettings kafka = KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers());
        try (EventLog log = new EventLog(kafka, events.name(), state.name())) {
            EventLog.Snapshot basis = log.snapshot();
            MigrationState waiting = basis.states().get(domain);
            assertThat(Workflow.next(waiting)).isInstanceOf(NextAction.AwaitExternalConfirmation.class);

            // meanwhile: an earlier request's confirmation and the event after it, applied by the projection, which
            // wrote the state and committed its offset past them
            EventEnvelope earlier = history.add(CooperativeWorld.successorOf(history.state()));
            assertThat(earlier.payload()).isInstanceOf(ExternalActionConfirmed.class);
            history.add(CooperativeWorld.successorOf(history.state()));
            EventCodec codec = new EventCodec();
            byte[] key = domain.value().getBytes(StandardCharsets.UTF_8);
            long end;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaClients(kafka).producer(Map.of())) {
                producer.send(new ProducerRecord<>(events.name(), key, codec.encode(earlier))).get(30, TimeUnit.SECONDS);
                end = producer.send(new ProducerRecord<>(events.name(), key, codec.encode(history.last()))).get(30, TimeUnit.SECONDS).offset() + 1;
                producer.send(new ProducerRecord<>(state.name(), key, codec.encodeState(history.state()))).get(30, TimeUnit.SECONDS);
            }
            int partition = dev.mxshift.service.EventWriter.partitionOf(domain.value(), events.partitions());
            try (var projection = new KafkaClients(kafka).consumer(Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG,
                    dev.mxshift.service.StateProjector.groupFor(events.name())))) {
                projection.commitSync(Map.of(new org.apache.kafka.common.TopicPartition(events.name(), partition),
                        new org.apache.kafka.clients.consumer.OffsetAndMetadata(end)));
            }

            OperatorAction.Decision again = OperatorAction.CONFIRM.decide(waiting, "noc", null, new dev.mxshift.model.workflow.EventFactory(java.time.Clock.systemUTC()));
            assertThat(again).isInstanceOf(OperatorAction.Append.class);
            Map<DomainName, EventLog.Outcome> outcomes = log.appendAndConfirm(basis, List.of(((OperatorAction.Append) again).event()),
                    java.time.Duration.ofSeconds(1), n -> { });
            assertThat(outcomes).containsEntry(domain, EventLog.Outcome.LOST_RACE);
            List<EventEnvelope> logged = log.history(domain);
            assertThat(logged.stream().filter(e -> e.sequence() == earlier.sequence())).as(logged.toString()).hasSize(1);
            assertThat(logged).hasSize(history.events().size());
        }
    }

    /** The domain's log holds its history and one confirmation after it, nothing else. */
    private void assertOneConfirmationAdded(KafkaClientSettings kafka, DomainHistory history) throws Exception {
        List<EventEnvelope> logged;
        try (EventLog log = new EventLog(kafka, events.name(), state.name())) {
            logged = log.history(history.state().domain());
        }
        assertThat(logged.stream().filter(e -> e.payload() instanceof ExternalActionConfirmed)).as(logged.toString()).hasSize(1);
        assertThat(logged).hasSize(history.events().size() + 1);
    }

    /** The topics made, and {@code domain}'s history up to its wait for a Microsoft-side confirmation in both. */
    private DomainHistory waitingForConfirmation(DomainName domain) throws Exception {
        TestTopics.create(KafkaTestBroker.bootstrapServers(), events, state);
        DomainHistory history = new DomainHistory(domain, TenantId.of("tenant-" + domain.value().replace('.', '-')));
        history.add(CooperativeWorld.request(domain));
        while (!(Workflow.next(history.state()) instanceof NextAction.AwaitExternalConfirmation)) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        EventCodec codec = new EventCodec();
        byte[] key = domain.value().getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaClients(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers())).producer(Map.of())) {
            for (EventEnvelope e : history.events()) {
                producer.send(new ProducerRecord<>(events.name(), key, codec.encode(e))).get(30, TimeUnit.SECONDS);
            }
            producer.send(new ProducerRecord<>(state.name(), key, codec.encodeState(history.state()))).get(30, TimeUnit.SECONDS);
        }
        return history;
    }
}
