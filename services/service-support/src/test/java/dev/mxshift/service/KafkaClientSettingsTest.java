package dev.mxshift.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientSettingsTest {

    @Test
    void aConfigFileAddsItsConnectionPropertiesToEveryClient(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
        Map<String, Object> client = KafkaClientSettings.withConfigFile("k1:9093", file).with(Map.of("acks", "all"));
        assertThat(client).containsEntry("bootstrap.servers", "k1:9093").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("acks", "all");
        assertThat(KafkaClientSettings.withConfigFile("k1:9093", null).with(Map.of())).containsOnlyKeys("bootstrap.servers");
    }

    /** Issue 27: the record's generated toString printed every password; what it prints now names them only. */
    @Test
    void itsTextShowsNoSecret() {
        Map<String, String> connection = new java.util.HashMap<>(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"mx\" password=\"jaas-pw-1\";",
                "ssl.truststore.location", "/etc/mxshift/truststore.p12",
                "ssl.truststore.password", "truststore-pw-2",
                "ssl.keystore.password", "keystore-pw-3",
                "ssl.key.password", "key-pw-4",
                "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----pem-5"));
        connection.put("sasl.oauthbearer.client.credentials.client.secret", "oauth-secret-6");
        KafkaClientSettings settings = new KafkaClientSettings("k1:9093", connection);

        String text = settings.toString();

        assertThat(text).doesNotContain("jaas-pw-1", "truststore-pw-2", "keystore-pw-3", "key-pw-4", "pem-5", "oauth-secret-6");
        assertThat(text).contains("k1:9093", "security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
                "ssl.truststore.location=/etc/mxshift/truststore.p12", "ssl.truststore.password=[hidden]", "sasl.jaas.config=[hidden]");
        assertThat(settings.with(Map.of())).as("the clients still get the secrets").containsEntry("ssl.key.password", "key-pw-4");
    }

    @Test
    void anUnreadableConfigFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> KafkaClientSettings.withConfigFile("k1:9093", missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--kafka-config " + missing);
        assertThatThrownBy(() -> KafkaClientSettings.plaintext(" ")).hasMessageContaining("no Kafka bootstrap servers");
    }
}
