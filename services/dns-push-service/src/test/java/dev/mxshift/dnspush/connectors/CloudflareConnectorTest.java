package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.conformance.ConnectorConformanceKit;
import dev.mxshift.dnspush.engine.ChangeEngine;
import dev.mxshift.dnspush.engine.PushOutcome;
import dev.mxshift.dnspush.engine.ResilientConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Cloudflare connector against a local server that answers as Cloudflare's API v4 documents: the conformance
 * kit, and throttling (429) ridden out by the engine's retries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudflareConnectorTest extends ConnectorConformanceKit {

    private CloudflareApiServer cloudflare;
    private DnsConnector connector;
    private DnsConnector wrong;

    @BeforeAll
    void up() throws Exception {
        cloudflare = new CloudflareApiServer("cf-token-1", "contoso.com", "fabrikam.com");
        connector = new CloudflareConnector("cloudflare-main", cloudflare.url(), "cf-token-1", Duration.ofSeconds(5));
        wrong = new CloudflareConnector("cloudflare-wrong", cloudflare.url(), "not-the-token", Duration.ofSeconds(5));
    }

    @AfterAll
    void down() {
        cloudflare.close();
    }

    @Override
    protected DnsConnector connector() {
        return connector;
    }

    @Override
    protected DnsConnector connectorWithWrongCredentials() {
        return wrong;
    }

    @Override
    protected ConnectorFactory factory() {
        return new CloudflareConnector.Factory();
    }

    @Override
    protected String zone() {
        return "contoso.com";
    }

    @Override
    protected void editElsewhere(RrSet set) throws Exception {
        cloudflare.edit(zone(), set);
    }

    @Test
    void mxPriorityAndTlsaFieldsTravelApartFromContentAsCloudflareKeepsThem() throws Exception {
        RrSet mx = new RrSet("contoso.com", "MX", 300, List.of("0 contoso-com.mail.protection.outlook.com.", "20 contoso-com.o-v1.mx.microsoft."));
        connector.apply(new RrSetChange("contoso.com", "contoso.com", "MX", connector.read("contoso.com", "contoso.com", "MX").orElse(null), mx));
        assertThat(connector.read("contoso.com", "contoso.com", "MX")).hasValueSatisfying(read -> assertThat(read.sameAs(mx)).isTrue());
        assertThat(connector.listZones()).containsExactly("contoso.com", "fabrikam.com");
    }

    @Test
    void throttlingIsRetriedWithBackoffAndTheChangeStillLandsOnce() throws Exception {
        ResilientConnector resilient = new ResilientConnector(connector, new ResilientConnector.Limits(1200, Duration.ofMinutes(5), 5,
                Duration.ofMillis(10), 4, 50, Duration.ofSeconds(30)));
        RrSet before = new RrSet("fabrikam.com", "MX", 3600, List.of("10 fabrikam-com.mail.protection.outlook.com."));
        cloudflare.edit("fabrikam.com", before);
        cloudflare.throttleEvery(3);
        try {
            PushOutcome outcome = ChangeEngine.push(resilient, new RrSetChange("fabrikam.com", "fabrikam.com", "MX", before,
                    before.rdata().isEmpty() ? null : new RrSet("fabrikam.com", "MX", 300, before.rdata())), false);
            assertThat(outcome).isInstanceOf(PushOutcome.Applied.class);
            assertThat(resilient.retry().getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isPositive();
        } finally {
            cloudflare.throttleEvery(0);
        }
        assertThat(connector.read("fabrikam.com", "fabrikam.com", "MX")).hasValueSatisfying(read -> assertThat(read.ttl()).isEqualTo(300));
    }

    @Test
    void anUnknownZoneIsPermanentAndNamesNoToken() {
        try {
            connector.read("unknown.example", "unknown.example", "MX");
        } catch (ConnectorException e) {
            assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT);
            assertThat(e.getMessage()).doesNotContain("cf-token-1");
            return;
        }
        throw new AssertionError("an unknown zone must fail");
    }
}
