package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.conformance.ConnectorConformanceKit;
import dev.mxshift.dnspush.engine.ChangeEngine;
import dev.mxshift.dnspush.engine.PushOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook connector in front of a platform whose own compare covers the TTL: the reference webhook server over
 * the Route 53 stand-in (a change batch's DELETE must match the set exactly). The webhook declares
 * {@code nativeCompareCoversTtl}, so the conformance kit's stale-TTL test runs, and the engine writes first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookOverRoute53Test extends ConnectorConformanceKit {

    private static final String KEY_ID = "AKIAMXSHIFTWEBHOOK";
    private static final String SECRET = "route53/webhook/secret/0123456789abcdef";

    private Route53ApiServer route53;
    private DnsConnector platform;
    private ReferenceWebhookServer webhook;
    private DnsConnector connector;

    @BeforeAll
    void up() throws Exception {
        route53 = new Route53ApiServer(KEY_ID, SECRET, "contoso.com", "fabrikam.com");
        platform = new Route53Connector("hoster-platform", route53.url(), StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)),
                Duration.ofSeconds(5));
        webhook = new ReferenceWebhookServer(platform, "webhook-token-7", Set.of("contoso.com", "fabrikam.com"));
        connector = webhook("hoster-webhook", "webhook-token-7");
    }

    @AfterAll
    void down() {
        webhook.close();
        route53.close();
    }

    private DnsConnector webhook(String id, String token) {
        return new WebhookConnector(id, webhook.url(), token, Duration.ofSeconds(5));
    }

    @Override
    protected DnsConnector connector() {
        return connector;
    }

    @Override
    protected DnsConnector connectorWithWrongCredentials() {
        return webhook("hoster-webhook-wrong", "not-the-token");
    }

    @Override
    protected ConnectorFactory factory() {
        return new WebhookConnector.Factory();
    }

    @Override
    protected String zone() {
        return "contoso.com";
    }

    @Override
    protected void editElsewhere(RrSet set) {
        route53.edit(zone(), set);
    }

    @Test
    void theWebhookDeclaresTheCompareItsPlatformMakes() {
        assertThat(connector.capabilities().nativeCompareAndSet()).isTrue();
        assertThat(connector.capabilities().nativeCompareCoversTtl()).isTrue();
    }

    @Test
    void aChangeIsWrittenWithoutAReadFirst() throws Exception {
        Route53WriteFirst.aChangeIsOneWriteAndNoRead(connector, route53);
    }

    @Test
    void aTtlEditedOnThePlatformIsAConflictAndIsNotOverwritten() throws Exception {
        assertThat(Route53WriteFirst.aTtlEditedElsewhereIsAConflictAndIsNotOverwritten(connector, route53).detail()).contains("hoster-webhook");
    }

    @Test
    void aCompareCoveringTheTtlDeclaredWithoutACompareIsNotBelievedAndEveryWriteIsReadFirst() throws Exception {
        webhook.declare(false, true);
        try {
            DnsConnector contradicting = webhook("hoster-webhook-contradicting", "webhook-token-7");
            assertThat(contradicting.capabilities().nativeCompareCoversTtl()).isFalse();
            assertThat(contradicting.capabilities().nativeCompareAndSet()).isFalse();
            RrSet before = Route53WriteFirst.LEGACY;
            route53.edit("fabrikam.com", before);
            int reads = route53.recordSetLists();

            PushOutcome outcome = ChangeEngine.push(contradicting, new RrSetChange("fabrikam.com", "fabrikam.com", "MX", before,
                    new RrSet("fabrikam.com", "MX", 300, before.rdata())), false);

            assertThat(outcome).isInstanceOf(PushOutcome.Applied.class);
            assertThat(route53.recordSetLists() - reads).as("the read before the write").isEqualTo(1);
        } finally {
            webhook.declare(true, true);
        }
    }
}
