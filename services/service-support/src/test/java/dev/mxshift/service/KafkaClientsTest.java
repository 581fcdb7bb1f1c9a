package dev.mxshift.service;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every client the factory makes carries the connection, the serde and the log's shared settings; a caller adds only its own. */
class KafkaClientsTest {

    private final KafkaClients clients = new KafkaClients(new KafkaClientSettings("k1:9093", Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"mx\" password=\"jaas-pw-1\";")));

    @Test
    void aProducerIsDurableIdempotentCompressedAndSecured() {
        Map<String, Object> producer = clients.producerProperties(Map.of(ProducerConfig.LINGER_MS_CONFIG, 5));

        assertThat(producer).containsAllEntriesOf(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k1:9093", "security.protocol", "SASL_SSL"));
        assertThat(producer).containsAllEntriesOf(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, KafkaClientSettings.COMPRESSION, ProducerConfig.LINGER_MS_CONFIG, 5));
        assertThat(producer).containsAllEntriesOf(Map.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @Test
    void aConsumerReadsCommittedRecordsAndCommitsNothingByItself() {
        Map<String, Object> consumer = clients.consumerProperties(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "projector"));

        assertThat(consumer).containsAllEntriesOf(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "k1:9093", "security.protocol", "SASL_SSL"));
        assertThat(consumer).containsAllEntriesOf(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.GROUP_ID_CONFIG, "projector"));
        assertThat(consumer).containsAllEntriesOf(Map.of(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    @Test
    void aCallersOwnSettingWinsOverTheSharedOne() {
        assertThat(clients.consumerProperties(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted")))
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        assertThat(clients.producerProperties(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "projector-1", ProducerConfig.LINGER_MS_CONFIG, 5)))
                .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "projector-1").containsEntry(ProducerConfig.ACKS_CONFIG, "all");
    }

    @Test
    void itsTextShowsNoSecret() {
        assertThat(clients.toString()).contains("k1:9093", "sasl.jaas.config=[hidden]").doesNotContain("jaas-pw-1");
    }
}
