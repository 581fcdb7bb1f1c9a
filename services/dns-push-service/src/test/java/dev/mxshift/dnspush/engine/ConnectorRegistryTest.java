package dev.mxshift.dnspush.engine;

import dev.mxshift.connector.ConnectorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectorRegistryTest {

    @TempDir
    Path dir;

    @Test
    void maxConcurrentSetsTheBulkheadAndIsNotPassedToTheConnector() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "not-a-real-token");
        ConnectorRegistry registry = new ConnectorRegistry();
        ResilientConnector one = registry.create("cf-one", "cloudflare", Map.of("token", "file:" + token, "max-concurrent", "1"));
        assertThat(one.bulkhead().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(1);
        ResilientConnector usual = registry.create("cf-usual", "cloudflare", Map.of("token", "file:" + token));
        assertThat(usual.bulkhead().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(ResilientConnector.Limits.cloudflare().maxConcurrent());
        assertThatThrownBy(() -> registry.create("cf-bad", "cloudflare", Map.of("token", "file:" + token, "max-concurrent", "none")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                        .contains("cf-bad").contains("settings.max-concurrent").contains("'none'"));
    }

    @Test
    void maxConcurrentWritesBoundsTheWritesWithinTheCalls() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "not-a-real-token");
        ConnectorRegistry registry = new ConnectorRegistry();
        ResilientConnector one = registry.create("cf-one-writer", "cloudflare", Map.of("token", "file:" + token, "max-concurrent", "4",
                "max-concurrent-writes", "1"));
        assertThat(one.bulkhead().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(4);
        assertThat(one.writeBulkhead().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(1);
        ResilientConnector usual = registry.create("cf-usual-writes", "cloudflare", Map.of("token", "file:" + token, "max-concurrent", "3"));
        assertThat(usual.writeBulkhead().getBulkheadConfig().getMaxConcurrentCalls()).as("writes default to the calls' bound").isEqualTo(3);
        assertThatThrownBy(() -> registry.create("cf-zero", "cloudflare", Map.of("token", "file:" + token, "max-concurrent-writes", "0")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                        .contains("cf-zero").contains("settings.max-concurrent-writes").contains("'0'"));
        assertThatThrownBy(() -> registry.create("cf-more", "cloudflare", Map.of("token", "file:" + token, "max-concurrent", "2",
                "max-concurrent-writes", "5")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                        .contains("cf-more").contains("max-concurrent-writes (5)").contains("max-concurrent (2)"));
    }
}
