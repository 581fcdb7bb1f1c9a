package dev.mxshift.dnspush.engine;

import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.ProviderLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        assertThat(usual.bulkhead().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(new dev.mxshift.dnspush.connectors.CloudflareConnector.Factory().limits().maxConcurrent());
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

    @Test
    void aTypeTheEngineHasNeverHeardOfGetsExactlyTheLimitsItsFactoryDeclares() throws Exception {
        ProviderLimits declared = new ProviderLimits(7, Duration.ofSeconds(3), 3, 2, 2, Duration.ofMillis(50));
        ConnectorRegistry registry = new ConnectorRegistry(List.of(new DeclaringFactory("hoster-dns", declared)));

        ResilientConnector connector = registry.create("hoster-one", "hoster-dns", Map.of());

        assertThat(connector.limiter().getRateLimiterConfig().getLimitForPeriod()).isEqualTo(7);
        assertThat(connector.limiter().getRateLimiterConfig().getLimitRefreshPeriod()).isEqualTo(Duration.ofSeconds(3));
        assertThat(connector.bulkhead().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(3);
        assertThat(connector.writeBulkhead().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(2);
        assertThat(connector.retry().getRetryConfig().getMaxAttempts()).isEqualTo(2);
        assertThat(connector.limiter().getRateLimiterConfig().getTimeoutDuration()).as("the engine's bound on a write's wait for its permit")
                .isEqualTo(ResilientConnector.Limits.WRITE_PERMIT_WAIT);

        ResilientConnector overridden = registry.create("hoster-two", "hoster-dns", Map.of("max-concurrent", "1"));
        assertThat(overridden.bulkhead().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(1);
        assertThat(overridden.writeBulkhead().getBulkheadConfig().getMaxConcurrentCalls()).as("the declared writes, within the calls").isEqualTo(1);
        assertThat(overridden.limiter().getRateLimiterConfig().getLimitForPeriod()).isEqualTo(7);
    }

    @Test
    void aTypeThatDeclaresNoLimitsGetsTheSelfHostedOnesNotAnotherProvidersAndBadOnesAreRefusedByName() throws Exception {
        ConnectorRegistry registry = new ConnectorRegistry(List.of(new HosterFactory("hoster-quiet"),
                new DeclaringFactory("hoster-broken", null)));

        ResilientConnector quiet = registry.create("quiet-one", "hoster-quiet", Map.of());
        assertThat(quiet.limiter().getRateLimiterConfig().getLimitForPeriod()).isEqualTo(ProviderLimits.selfHosted().requestsPerPeriod());
        assertThat(quiet.bulkhead().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(ProviderLimits.selfHosted().maxConcurrent());
        assertThatThrownBy(() -> registry.create("broken-one", "hoster-broken", Map.of()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                        .contains("broken-one").contains("'hoster-broken'").contains("ConnectorFactory.limits()"));
    }

    /** A hoster's own connector type, unknown to the engine, declaring its limits (null: wrongly none at all). */
    private static final class DeclaringFactory extends HosterFactory {
        private final ProviderLimits limits;

        DeclaringFactory(String type, ProviderLimits limits) {
            super(type);
            this.limits = limits;
        }

        @Override
        public ProviderLimits limits() {
            return limits;
        }
    }

    /** A hoster's own connector type, built against the SPI before it had limits: it declares none. */
    private static class HosterFactory implements ConnectorFactory {
        private final String type;

        HosterFactory(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public DnsConnector create(ConnectorConfig config) {
            return new InertConnector(config.id(), false);
        }
    }
}
