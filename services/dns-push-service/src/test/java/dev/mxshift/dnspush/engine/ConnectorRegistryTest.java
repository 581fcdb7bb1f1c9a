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
}
