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

    @Test
    void anUnreadableConfigFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> KafkaClientSettings.withConfigFile("k1:9093", missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--kafka-config " + missing);
        assertThatThrownBy(() -> KafkaClientSettings.plaintext(" ")).hasMessageContaining("no Kafka bootstrap servers");
    }
}
