package dev.mxshift.service;

import dev.mxshift.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a real broker: a transaction left open under one of an instance's transactional ids (its process was killed)
 * stalls every read_committed reader of the partition at the transaction's first record; {@link TransactionFencing}
 * at the next start finds it among the broker's open transactions by the instance's prefix and aborts it at once, so
 * the records after it are read and the open one never is; another instance's open transaction is left alone.
 */
class TransactionFencingIT {

    private final KafkaClients clients = new KafkaClients(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()));

    @Test
    void aKilledInstancesOpenTransactionIsAbortedAtTheNextStartAndThePartitionGoesOn() throws Exception {
        String topic = "fencing-it-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        String service = "fencing-it-" + UUID.randomUUID();
        String prefix = service + "-0-";
        // The predecessor: its producer with a suffix the next start may not use again opened a transaction, wrote, and
        // was never heard of again (kill -9: no commit, no abort). It is left unclosed on purpose.
        KafkaProducer<byte[], byte[]> killed = clients.producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + 5,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000));
        killed.initTransactions();
        killed.beginTransaction();
        killed.send(new ProducerRecord<>(topic, 0, null, bytes("never committed"))).get();
        killed.flush();
        // instance 1 of the same service, alive, in the middle of a transaction on the other partition
        KafkaProducer<byte[], byte[]> otherInstance = clients.producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, service + "-1-0"));
        otherInstance.initTransactions();
        otherInstance.beginTransaction();
        otherInstance.send(new ProducerRecord<>(topic, 1, null, bytes("another instance's, open"))).get();
        try (KafkaProducer<byte[], byte[]> other = clients.producer(Map.of())) {
            other.send(new ProducerRecord<>(topic, 0, null, bytes("after it"))).get();
        }
        assertThat(read(topic, Duration.ofSeconds(3))).as("a read_committed reader stops at the open transaction").isEmpty();

        List<String> fenced = TransactionFencing.fence(clients, List.of(prefix));

        assertThat(fenced).as("the open transactions under the prefix").containsExactly(prefix + 5);
        assertThat(read(topic, Duration.ofSeconds(20))).as("after fencing: the record after it, and never the aborted one")
                .containsExactly("after it");
        try (Admin admin = clients.admin()) {
            assertThat(TransactionFencing.open(admin, List.of(service + "-1-"))).as("the other instance's transaction is its own")
                    .containsExactly(service + "-1-0");
        }
        otherInstance.commitTransaction();
        otherInstance.close();
    }

    private List<String> read(String topic, Duration patience) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(Map.of())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + patience.toNanos();
            while (System.nanoTime() < deadline && values.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
