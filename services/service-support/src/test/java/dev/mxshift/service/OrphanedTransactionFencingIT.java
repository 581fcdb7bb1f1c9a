package dev.mxshift.service;

import dev.mxshift.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * On a real broker, issue 33 as the services met it after a broker came back as a stale transaction coordinator: a
 * pooled transactional producer (suffix strategy of {@link TransactionFencing#SUFFIXES}, transaction.timeout.ms ten
 * minutes) fails its commit fatally with a record written, cannot abort, and Spring Kafka closes it without aborting.
 * The next transaction takes another suffix and commits on the same partition. A read_committed reader must see that
 * record within seconds: {@link OrphanedTransactionFencing} fences the discarded producer's id as the factory removes it.
 * <p>
 * Without the fix (the factory's suffix strategy a plain {@code DefaultTransactionIdSuffixStrategy(16)} instead of
 * {@link OrphanedTransactionFencing#install}) this fails: nothing ever initialises the first id again (the second
 * transaction runs under suffix 1, and the released suffix 0 waits at the back of the pool) nor fences it, so its open
 * transaction holds the partition's last stable offset below the committed record until the broker aborts it after
 * transaction.timeout.ms, 600 s, far past the wait below.
 */
class OrphanedTransactionFencingIT {

    private final KafkaClients clients = new KafkaClients(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()));

    @Test
    void aTransactionLeftOpenByAProducerThatFailedFatallyIsFencedAtOnceAndThePartitionGoesOn() throws Exception {
        String topic = "orphaned-it-" + UUID.randomUUID();
        try (Admin admin = clients.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        String prefix = "orphaned-it-" + UUID.randomUUID() + "-0-";
        FirstProducerFailsFatally factory = new FirstProducerFailsFatally(
                clients.producerProperties(Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000)));
        factory.setTransactionIdPrefix(prefix);
        OrphanedTransactionFencing fencing = OrphanedTransactionFencing.install(factory, clients, prefix);
        KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(factory);
        try (KafkaConsumer<byte[], byte[]> reader = clients.consumer(Map.of())) {
            assertThatThrownBy(() -> template.executeInTransaction(t -> t.send(topic, 0, null, bytes("first, never committed")).join()))
                    .as("the first producer's commit fails fatally").isInstanceOf(InvalidTxnStateException.class);
            template.executeInTransaction(t -> t.send(topic, 0, null, bytes("second, committed")).join());
            assertThat(factory.transactionalIds).as("the second transaction ran on another suffix").containsExactly(prefix + 0, prefix + 1);

            TopicPartition partition = new TopicPartition(topic, 0);
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            List<String> read = new CopyOnWriteArrayList<>();
            await("a read_committed reader sees the committed record").atMost(Duration.ofSeconds(15)).pollInSameThread()
                    .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                        reader.poll(Duration.ofMillis(250)).forEach(r -> read.add(new String(r.value(), StandardCharsets.UTF_8)));
                        assertThat(read).contains("second, committed");
                    });
            assertThat(read).as("the open transaction was aborted, never read").containsExactly("second, committed");
            try (Admin admin = clients.admin()) {
                assertThat(TransactionFencing.open(admin, List.of(prefix))).as("no transaction left open under the prefix").isEmpty();
            }
        } finally {
            factory.destroy();
            fencing.close();
        }
    }

    /**
     * The first producer it makes behaves as after a stale coordinator: its commit fails with InvalidTxnStateException
     * (fatal), its abort fails too, and its close is forced (a forced close does not abort), as Spring Kafka's close of a
     * failed producer ends in one that cannot abort. The others are real producers, untouched.
     */
    private static final class FirstProducerFailsFatally extends DefaultKafkaProducerFactory<byte[], byte[]> {

        final List<String> transactionalIds = new CopyOnWriteArrayList<>();

        FirstProducerFailsFatally(Map<String, Object> configs) {
            super(configs);
        }

        @Override
        @SuppressWarnings("unchecked")
        protected Producer<byte[], byte[]> createRawProducer(Map<String, Object> rawConfigs) {
            Producer<byte[], byte[]> real = super.createRawProducer(rawConfigs);
            transactionalIds.add(String.valueOf(rawConfigs.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG)));
            if (transactionalIds.size() > 1) {
                return real;
            }
            return (Producer<byte[], byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(), new Class<?>[]{Producer.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "commitTransaction" -> throw new InvalidTxnStateException("the test's stale coordinator");
                        case "abortTransaction" -> throw new IllegalStateException("cannot abort after a fatal error");
                        case "close" -> {
                            real.close(Duration.ZERO);
                            yield null;
                        }
                        default -> {
                            try {
                                yield method.invoke(real, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    });
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
