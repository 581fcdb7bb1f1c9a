package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ZoneLister;
import dev.mxshift.connector.ListedZone;
import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.Denial;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneReader;
import dev.mxshift.connector.ZoneSigning;
import dev.mxshift.connector.RrSet;
import dev.mxshift.dnspush.engine.PushOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The webhook connector in front of a platform whose own compare covers the TTL: the reference webhook server over
 * the Route 53 stand-in (a change batch's DELETE must match the set exactly). The webhook declares
 * {@code nativeCompareCoversTtl}, so the conformance kit's stale-TTL test runs, and the engine writes first. DNSSEC
 * through the contract's calls, signed by the stand-in's Route 53 with a real KMS-held key: the kit's DNSSEC tests of
 * the connector's word (the webhook declares {@code cds: false}, as Route 53 publishes none), and a webhook written
 * before the DNSSEC calls, or of another version, is never asked and answers UNSUPPORTED.
 */
class WebhookOverRoute53Test extends Route53StandInKit {

    private static final String KEY_ID = "AKIAMXSHIFTWEBHOOK";
    private static final String SECRET = "route53/webhook/secret/0123456789abcdef";

    private DnsConnector platform;
    private ReferenceWebhookServer webhook;

    WebhookOverRoute53Test() {
        super(new WebhookConnector.Factory());
    }

    @BeforeAll
    void up() throws Exception {
        route53 = closedAfterAll(new Route53ApiServer(KEY_ID, SECRET, "contoso.com", "fabrikam.com", UNSIGNED));
        route53.kmsKey(Route53ConnectorTest.KMS_KEY, "ECC_NIST_P256", "SIGN_VERIFY");
        platform = new Route53Connector("hoster-platform", route53.url(), StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)),
                Duration.ofSeconds(5), new Route53Connector.KskConfig(Route53ConnectorTest.KMS_KEY, "hoster_ksk"));
        webhook = closedAfterAll(new ReferenceWebhookServer(platform, "webhook-token-7", Set.of("contoso.com", "fabrikam.com", UNSIGNED)));
        webhook.declareDnssec(1, false);
        connector = webhook("hoster-webhook", "webhook-token-7");
        wrong = webhook("hoster-webhook-wrong", "not-the-token");
    }

    private DnsConnector webhook(String id, String token) {
        return new WebhookConnector(id, webhook.url(), token, Duration.ofSeconds(5));
    }

    @Test
    void signedThroughTheWebhookTheZoneHasTheKeysAndDsRoute53Names() throws Exception {
        try {
            ZoneSigning signed = connector.sign(UNSIGNED, SigningRequest.defaults());

            assertThat(signed).isEqualTo(platform.signing(UNSIGNED));
            assertThat(signed.keys()).singleElement().satisfies(k -> assertThat(k.flags()).isEqualTo(257));
            assertThat(route53.keySigningKeys(UNSIGNED)).containsOnlyKeys("hoster_ksk");
            assertThat(connector.signing(UNSIGNED)).isEqualTo(signed);
        } finally {
            connector.unsign(UNSIGNED);
        }
    }

    @Test
    void aRefusalOfThePlatformToUnsignComesBackAsAPermanentRefusal() throws Exception {
        anUnsignIsRefusedWhileTheParentServesTheDs("refused", signed -> assertThat(connector.signing(UNSIGNED).signed()).isTrue());
    }

    @Test
    void aDsTheWebhookNamesThatItsKeysDoNotGiveIsRefusedAndNeitherIsHandedOn() throws Exception {
        Route53ConnectorTest.aMisstatedDsIsRefused(connector, UNSIGNED, webhook::misstateDs);
    }

    @Test
    void nsec3ThePlatformCannotDoIsAPermanentFailureNamingWhy() {
        assertThatThrownBy(() -> connector.sign(UNSIGNED, new SigningRequest(13, Denial.NSEC3)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(ConnectorException.Kind.PERMANENT);
                    assertThat(e.getMessage()).contains("NSEC only");
                });
    }

    @Test
    void aWebhookWrittenBeforeTheDnssecCallsIsNeverAskedAndAnswersUnsupported() {
        webhook.declareDnssec(null, false);
        try {
            DnsConnector old = webhook("hoster-webhook-old", "webhook-token-7");
            int asked = webhook.dnssecRequests();
            assertThat(old.capabilities().dnssecManagement()).isFalse();
            assertThat(old.capabilities().nativeCompareAndSet()).as("the rest of its capabilities as declared").isTrue();
            for (var call : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(() -> old.signing(UNSIGNED),
                    () -> old.sign(UNSIGNED, SigningRequest.defaults()), () -> old.publishCds(UNSIGNED, CdsMode.PUBLISH), () -> old.unsign(UNSIGNED))) {
                assertThatThrownBy(call).isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConnectorException.Kind.UNSUPPORTED);
                    assertThat(e.getMessage()).contains("declare no dnssec");
                });
            }
            assertThat(webhook.dnssecRequests() - asked).as("DNSSEC requests sent to a webhook that declared none").isZero();
        } finally {
            webhook.declareDnssec(1, false);
        }
    }

    @Test
    void aWebhookOfAnotherDnssecVersionIsNotUsed() {
        webhook.declareDnssec(2, false);
        try {
            aConnectorThatManagesNoDnssecRefusesToSign(webhook("hoster-webhook-v2", "webhook-token-7"), "version 2");
        } finally {
            webhook.declareDnssec(1, false);
        }
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

            PushOutcome outcome = Route53WriteFirst.lowerTheTtl(contradicting, before, false);

            assertThat(outcome).isInstanceOf(PushOutcome.Applied.class);
            assertThat(route53.recordSetLists() - reads).as("the read before the write").isEqualTo(1);
        } finally {
            webhook.declare(true, true);
        }
    }

    @Test
    void theZonesCallMayNameEachZonesAccountAndBothFormsAreRead() throws Exception {
        webhook.account("fabrikam.com", "cust-4711", "tenant-fabrikam");

        assertThat(((ZoneLister) connector).listedZones()).containsExactly(ListedZone.withoutAccount("contoso.com"),
                new ListedZone("fabrikam.com", "cust-4711", "tenant-fabrikam"), ListedZone.withoutAccount(UNSIGNED));
        assertThat(connector.listZones()).containsExactly("contoso.com", "fabrikam.com", UNSIGNED);
    }

    /**
     * The records call (version 1) through the reference server over Route 53, a few sets a page with a cursor: the
     * zone as Route 53 lists it; a webhook that declares no records call (or another version) is not asked.
     */
    @Test
    void theRecordsCallGivesTheZoneAsThePlatformListsItPageByPageAndIsNotAskedUndeclared() throws Exception {
        route53.edit("fabrikam.com", new RrSet("relay.fabrikam.com", "CNAME", 300, List.of("fabrikam-com.mail.protection.outlook.com.")));
        route53.edit("fabrikam.com", new RrSet("smtp.fabrikam.com", "A", 300, List.of("52.101.68.10")));
        route53.edit("fabrikam.com", new RrSet("fabrikam.com", "MX", 3600, List.of("0 fabrikam-com.mail.protection.outlook.com.")));
        route53.edit("fabrikam.com", new RrSet("fabrikam.com", "TXT", 3600, List.of("\"MS=ms12345678\"")));

        List<RrSet> zone = ((ZoneReader) connector).readZone("fabrikam.com");

        assertThat(zone).hasSizeGreaterThan(ReferenceWebhookServer.RECORDS_PAGE)
                .containsExactlyElementsOf(((ZoneReader) platform).readZone("fabrikam.com"));

        try {
            webhook.declareRecords(null);
            assertThatThrownBy(() -> ((ZoneReader) webhook("webhook-before-records", "webhook-token-7")).readZone("fabrikam.com"))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.UNSUPPORTED))
                    .hasMessageContaining("declare no records call");
            webhook.declareRecords(2);
            assertThatThrownBy(() -> ((ZoneReader) webhook("webhook-records-2", "webhook-token-7")).readZone("fabrikam.com"))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.UNSUPPORTED))
                    .hasMessageContaining("version 2 of the records call");
        } finally {
            webhook.declareRecords(1);
        }
    }
}
