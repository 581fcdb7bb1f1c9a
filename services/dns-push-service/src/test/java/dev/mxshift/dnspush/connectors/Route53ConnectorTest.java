package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ListedZone;
import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.Denial;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneSigning;
import dev.mxshift.dnspush.engine.ChangeEngine;
import dev.mxshift.dnspush.engine.PushOutcome;
import dev.mxshift.dnspush.engine.ResilientConnector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Route 53 connector against a local server that answers as Route 53's API documents and checks every
 * request's Signature Version 4: the conformance kit (Route 53's change batch is a native compare-and-set),
 * and throttling ridden out by retries. DNSSEC as Route 53 does it: a key-signing key in a customer managed KMS key
 * (the stand-in's real P-256 key), signing enabled, the DS read back and checked against the DNSKEY, no CDS (the
 * kit's CDS tests are skipped and CDS must be refused as unsupported), and an unsign Route 53 refuses while the
 * parent still serves the DS.
 */
class Route53ConnectorTest extends Route53StandInKit {

    private static final String KEY_ID = "AKIAMXSHIFTTEST";
    private static final String SECRET = "route53/test/secret/key/0123456789abcdef";
    static final String KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String RSA_KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/0000aaaa-12ab-34cd-56ef-1234567890ab";

    Route53ConnectorTest() {
        super(new Route53Connector.Factory());
    }

    @BeforeAll
    void up() throws Exception {
        route53 = closedAfterAll(new Route53ApiServer(KEY_ID, SECRET, "contoso.com", "fabrikam.com", UNSIGNED, "tailspin.com"));
        route53.kmsKey(KMS_KEY, "ECC_NIST_P256", "SIGN_VERIFY");
        route53.kmsKey(RSA_KMS_KEY, "RSA_2048", "SIGN_VERIFY");
        connector = connector("route53-main", SECRET, new Route53Connector.KskConfig(KMS_KEY, "mxshift"));
        wrong = connector("route53-wrong", "not-the-secret", new Route53Connector.KskConfig(KMS_KEY, "mxshift"));
    }

    private Route53Connector connector(String id, String secret, Route53Connector.KskConfig ksk) {
        return new Route53Connector(id, route53.url(), StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, secret)),
                Duration.ofSeconds(5), ksk);
    }

    @Test
    void signingCreatesOneActiveKeyInTheKmsKeyAndRoute53sDsIsTheOneItsDnskeyGives() throws Exception {
        int creates = route53.requests("CreateKeySigningKey");
        try {
            ZoneSigning signed = connector.sign(UNSIGNED, SigningRequest.defaults());

            assertThat(route53.keySigningKeys(UNSIGNED)).isEqualTo(Map.of("mxshift", "ACTIVE"));
            assertThat(route53.serveSignature(UNSIGNED)).isEqualTo("SIGNING");
            ZoneSigning read = connector.signing(UNSIGNED);
            assertThat(read.signed()).isTrue();
            assertThat(read.keys()).singleElement().satisfies(key -> {
                assertThat(key.algorithm()).isEqualTo(13);
                assertThat(key.flags()).isEqualTo(257);
                assertThat(key.dnskey()).startsWith("257 3 13 ");
            });
            assertThat(read.ds()).singleElement().asString().startsWith(read.keys().get(0).keyTag() + " 13 2 ");
            assertThat(read.cds()).isEqualTo(CdsMode.NONE);
            assertThat(read).isEqualTo(signed);
            assertThat(route53.requests("CreateKeySigningKey") - creates).isEqualTo(1);
        } finally {
            connector.unsign(UNSIGNED);
        }
    }

    @Test
    void signingAgainMakesNoSecondKey() throws Exception {
        try {
            ZoneSigning first = connector.sign(UNSIGNED, SigningRequest.defaults());
            int creates = route53.requests("CreateKeySigningKey");
            int enables = route53.requests("EnableHostedZoneDNSSEC");

            ZoneSigning second = connector.sign(UNSIGNED, SigningRequest.defaults());

            assertThat(second).isEqualTo(first);
            assertThat(route53.requests("CreateKeySigningKey") - creates).as("no second CreateKeySigningKey").isZero();
            assertThat(route53.requests("EnableHostedZoneDNSSEC") - enables).as("signing is not enabled twice").isZero();
            assertThat(route53.keySigningKeys(UNSIGNED)).hasSize(1);
        } finally {
            connector.unsign(UNSIGNED);
        }
    }

    @Test
    void aLostAnswerToTheKeysCreationRetriedMakesNoSecondKey() throws Exception {
        ResilientConnector resilient = new ResilientConnector(connector, new ResilientConnector.Limits(50, Duration.ofSeconds(1), 5,
                Duration.ofMillis(10), 2, 50, Duration.ofSeconds(30)));
        route53.loseAnswers("CreateKeySigningKey", 1);
        int creates = route53.requests("CreateKeySigningKey");
        try {
            // The first attempt's key is created but its answer never arrives; the retry reads the zone and finds it.
            ZoneSigning signed = resilient.sign(UNSIGNED, SigningRequest.defaults());

            assertThat(signed.signed()).isTrue();
            assertThat(signed.keys()).hasSize(1);
            assertThat(route53.keySigningKeys(UNSIGNED)).as("one key, the one whose answer was lost").isEqualTo(Map.of("mxshift", "ACTIVE"));
            assertThat(route53.requests("CreateKeySigningKey") - creates).as("the one lost request, not repeated").isEqualTo(1);
            assertThat(resilient.retry().getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isPositive();
        } finally {
            route53.loseAnswers("CreateKeySigningKey", 0);
            connector.unsign(UNSIGNED);
        }
    }

    @Test
    void aKeyCreatedBetweenTheReadAndTheCreationIsTakenAndNotDoubled() throws Exception {
        // Another instance (or our own request, sent again after its answer was lost) created the key after our read:
        // Route 53 answers KeySigningKeyAlreadyExists, and the connector goes on with that key.
        route53.beforeNext("CreateKeySigningKey", () -> route53.addKeySigningKey(UNSIGNED, "mxshift", KMS_KEY, "ACTIVE"));
        int creates = route53.requests("CreateKeySigningKey");
        try {
            ZoneSigning signed = connector.sign(UNSIGNED, SigningRequest.defaults());

            assertThat(route53.requests("CreateKeySigningKey") - creates).as("the creation Route 53 refused").isEqualTo(1);
            assertThat(route53.keySigningKeys(UNSIGNED)).isEqualTo(Map.of("mxshift", "ACTIVE"));
            assertThat(signed.signed()).isTrue();
            assertThat(signed.keys()).hasSize(1);
        } finally {
            connector.unsign(UNSIGNED);
        }
    }

    @Test
    void aLostAnswerIsAFailureWhoseOutcomeIsUnknown() throws Exception {
        route53.loseAnswers("CreateKeySigningKey", 1);
        try {
            assertThatThrownBy(() -> connector.sign(UNSIGNED, SigningRequest.defaults()))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.RETRYABLE);
                        assertThat(e.outcomeUnknown()).isTrue();
                    });
            assertThat(route53.keySigningKeys(UNSIGNED)).as("Route 53 did the work").isEqualTo(Map.of("mxshift", "ACTIVE"));
            assertThat(connector.sign(UNSIGNED, SigningRequest.defaults()).keys()).hasSize(1);
            assertThat(route53.keySigningKeys(UNSIGNED)).hasSize(1);
        } finally {
            route53.loseAnswers("CreateKeySigningKey", 0);
            connector.unsign(UNSIGNED);
        }
    }

    @Test
    void unsigningDisablesSigningAndRemovesTheKeyAndIsHarmlessTwice() throws Exception {
        connector.sign(UNSIGNED, SigningRequest.defaults());

        ZoneSigning unsigned = connector.unsign(UNSIGNED);

        assertThat(unsigned).isEqualTo(ZoneSigning.unsigned(UNSIGNED));
        assertThat(route53.serveSignature(UNSIGNED)).isEqualTo("NOT_SIGNING");
        assertThat(route53.keySigningKeys(UNSIGNED)).isEmpty();
        int disables = route53.requests("DisableHostedZoneDNSSEC");
        assertThat(connector.unsign(UNSIGNED).signed()).isFalse();
        assertThat(route53.requests("DisableHostedZoneDNSSEC") - disables).as("nothing left to disable").isZero();
    }

    @Test
    void unsigningWhileTheParentServesTheDsIsRefusedByRoute53AndTheZoneStaysSigned() throws Exception {
        anUnsignIsRefusedWhileTheParentServesTheDs("KeySigningKeyInParentDSRecord", signed -> {
            assertThat(connector.signing(UNSIGNED).keys()).isEqualTo(signed.keys());
            assertThat(route53.serveSignature(UNSIGNED)).isEqualTo("SIGNING");
        });
    }

    @Test
    void aZoneSignedWithAnotherKsksKeyKeepsIt() throws Exception {
        String otherKms = "arn:aws:kms:us-east-1:111122223333:key/5555bbbb-12ab-34cd-56ef-1234567890ab";
        route53.kmsKey(otherKms, "ECC_NIST_P256", "SIGN_VERIFY");
        try (Route53Connector someoneElse = connector("route53-console", SECRET, new Route53Connector.KskConfig(otherKms, "console_ksk"))) {
            ZoneSigning theirs = someoneElse.sign(UNSIGNED, SigningRequest.defaults());

            ZoneSigning ours = connector.sign(UNSIGNED, SigningRequest.defaults());

            assertThat(ours.keys()).isEqualTo(theirs.keys());
            assertThat(route53.keySigningKeys(UNSIGNED)).isEqualTo(Map.of("console_ksk", "ACTIVE"));
        } finally {
            connector.unsign(UNSIGNED);
        }
    }

    @Test
    void aDsRoute53NamesThatItsDnskeyDoesNotGiveIsRefusedAndNeitherIsHandedOn() throws Exception {
        aMisstatedDsIsRefused(connector, UNSIGNED, route53::misstateDs);
    }

    /** Signs {@code zone}, has its provider name a DS its key does not give, and expects the connector to refuse it. */
    static void aMisstatedDsIsRefused(DnsConnector connector, String zone, java.util.function.Consumer<Boolean> misstate) throws Exception {
        connector.sign(zone, SigningRequest.defaults());
        misstate.accept(true);
        try {
            assertThatThrownBy(() -> connector.signing(zone))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT);
                        assertThat(e.getMessage()).contains("not publishing either");
                    });
        } finally {
            misstate.accept(false);
            connector.unsign(zone);
        }
    }

    @Test
    void nsec3AndOtherAlgorithmsAreRefusedBecauseRoute53HasNeither() {
        assertThatThrownBy(() -> connector.sign(UNSIGNED, new SigningRequest(13, Denial.NSEC3)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT);
                    assertThat(e.getMessage()).contains("NSEC only");
                });
        assertThatThrownBy(() -> connector.sign(UNSIGNED, new SigningRequest(15, Denial.NSEC)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage()).contains("algorithm 13"));
        assertThat(route53.keySigningKeys(UNSIGNED)).isEmpty();
    }

    @Test
    void aKmsKeyRoute53CannotSignWithIsRefusedAsInvalidKmsArn() throws Exception {
        try (Route53Connector rsa = connector("route53-rsa", SECRET, new Route53Connector.KskConfig(RSA_KMS_KEY, "mxshift"))) {
            assertThatThrownBy(() -> rsa.sign("tailspin.com", SigningRequest.defaults()))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT);
                        assertThat(e.getMessage()).contains("InvalidKMSArn");
                    });
            assertThat(route53.keySigningKeys("tailspin.com")).isEmpty();
            assertThat(route53.serveSignature("tailspin.com")).isEqualTo("NOT_SIGNING");
        }
    }

    @Test
    void withoutAKmsKeyTheConnectorManagesNoDnssecAndSaysWhatIsMissing() throws Exception {
        try (Route53Connector plain = connector("route53-plain", SECRET, null)) {
            aConnectorThatManagesNoDnssecRefusesToSign(plain, "kms-key-arn");
        }
    }

    @Test
    void signingAskedWithoutAKmsKeyIsAConfigurationErrorAtStart() {
        assertThatThrownBy(() -> new Route53Connector.Factory().create(config(Map.of("dnssec-signing", "true"))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT);
                    assertThat(e.getMessage()).contains("route53-config").contains("kms-key-arn").contains("ECC_NIST_P256");
                });
        assertThatThrownBy(() -> new Route53Connector.Factory().create(config(Map.of("kms-key-arn", "arn:aws:kms:eu-west-1:111122223333:key/abcd"))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage()).contains("us-east-1"));
        assertThatThrownBy(() -> new Route53Connector.Factory().create(config(Map.of("kms-key-arn", "alias/mxshift"))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage()).contains("is not the ARN of a KMS key"));
        assertThatThrownBy(() -> new Route53Connector.Factory().create(config(Map.of("kms-key-arn", KMS_KEY, "ksk-name", "mx-shift"))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage()).contains("ksk-name"));
    }

    @Test
    void aConfiguredKmsKeyDeclaresDnssecManagement() throws Exception {
        try (DnsConnector configured = new Route53Connector.Factory().create(config(Map.of("kms-key-arn", KMS_KEY)));
             DnsConnector declined = new Route53Connector.Factory().create(config(Map.of("kms-key-arn", KMS_KEY, "dnssec-signing", "false")))) {
            assertThat(configured.capabilities().dnssecManagement()).isTrue();
            assertThat(declined.capabilities().dnssecManagement()).isFalse();
        }
    }

    private ConnectorConfig config(Map<String, String> dnssec) {
        Map<String, String> settings = new java.util.HashMap<>(dnssec);
        settings.put("url", route53.url().toString());
        settings.put("access-key-id", "key-id");
        settings.put("secret-access-key", "secret");
        return new ConnectorConfig("route53-config", "route53", settings, ref -> ref.equals("key-id") ? KEY_ID : SECRET);
    }

    @Test
    void throttlingIsRetriedAndTheBatchLandsOnce() throws Exception {
        ResilientConnector resilient = new ResilientConnector(connector, new ResilientConnector.Limits(5, Duration.ofSeconds(1), 5,
                Duration.ofMillis(10), 2, 50, Duration.ofSeconds(30)));
        RrSet before = Route53WriteFirst.LEGACY;
        route53.edit("fabrikam.com", before);
        route53.throttleEvery(2);
        try {
            PushOutcome outcome = Route53WriteFirst.lowerTheTtl(resilient, before, false);
            assertThat(outcome).isInstanceOf(PushOutcome.Applied.class);
            assertThat(resilient.retry().getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isPositive();
        } finally {
            route53.throttleEvery(0);
        }
        assertThat(connector.read("fabrikam.com", "fabrikam.com", "MX")).hasValueSatisfying(read -> assertThat(read.ttl()).isEqualTo(300));
    }

    @Test
    void aChangeIsOneRequestBecauseRoute53ComparesTheWholeSetItself() throws Exception {
        Route53WriteFirst.aChangeIsOneWriteAndNoRead(connector, route53);
    }

    @Test
    void aTargetAlreadyInPlaceIsFoundAfterRoute53RefusesTheWriteAndIsASuccess() throws Exception {
        RrSet before = Route53WriteFirst.LEGACY;
        RrSet target = new RrSet("fabrikam.com", "MX", 300, before.rdata());
        route53.edit("fabrikam.com", target);
        int lists = route53.recordSetLists();
        int batches = route53.changeBatches();

        PushOutcome outcome = ChangeEngine.push(connector, new RrSetChange("fabrikam.com", "fabrikam.com", "MX", before, target), false);

        assertThat(outcome).isInstanceOf(PushOutcome.AlreadyInPlace.class);
        assertThat(route53.changeBatches() - batches).as("one write, refused").isEqualTo(1);
        assertThat(route53.recordSetLists() - lists).as("one read, after the refusal").isEqualTo(1);
        assertThat(connector.read("fabrikam.com", "fabrikam.com", "MX")).hasValueSatisfying(read -> assertThat(read.sameAs(target)).isTrue());
    }

    @Test
    void aTtlEditedElsewhereIsAConflictWithBothVersionsAndIsNotOverwritten() throws Exception {
        assertThat(Route53WriteFirst.aTtlEditedElsewhereIsAConflictAndIsNotOverwritten(connector, route53).detail()).contains("do not match");
    }

    @Test
    void aDryRunReadsAndWritesNothing() throws Exception {
        RrSet before = Route53WriteFirst.LEGACY;
        route53.edit("fabrikam.com", before);
        int batches = route53.changeBatches();

        PushOutcome outcome = Route53WriteFirst.lowerTheTtl(connector, before, true);

        assertThat(outcome).isInstanceOf(PushOutcome.WouldApply.class);
        assertThat(route53.changeBatches() - batches).isZero();
        assertThat(connector.read("fabrikam.com", "fabrikam.com", "MX")).hasValueSatisfying(read -> assertThat(read.sameAs(before)).isTrue());
    }

    @Test
    void theStandInRefusesAnUnsignedRequestAsRoute53Does() throws Exception {
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                route53.url().resolve("/2013-04-01/hostedzone")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("<Code>MissingAuthenticationToken</Code>");
    }

    @Test
    void theRateLimiterHoldsRoute53sFiveRequestsASecond() throws Exception {
        ResilientConnector limited = new ResilientConnector(connector, ResilientConnector.Limits.of(new Route53Connector.Factory().limits()));
        long started = System.nanoTime();
        for (int i = 0; i < 11; i++) {
            limited.read("fabrikam.com", "fabrikam.com", "MX");
        }
        // 11 calls at 5 per second cross at least two period boundaries, however the first period is placed.
        assertThat((System.nanoTime() - started) / 1e9).isGreaterThan(1.0);
    }

    @Test
    void hostedZonesAreListedPageByPageWithNoAccount() throws Exception {
        route53.listPageSize(1);
        int before = route53.hostedZoneLists();
        try {
            assertThat(((Route53Connector) connector).listedZones()).extracting(ListedZone::zone)
                    .containsExactlyInAnyOrder("contoso.com", "fabrikam.com", UNSIGNED, "tailspin.com");
            assertThat(((Route53Connector) connector).listedZones()).noneMatch(ListedZone::hasAccount);
        } finally {
            route53.listPageSize(100);
        }
        assertThat(route53.hostedZoneLists() - before).as("one page per zone, by Marker and NextMarker, twice").isEqualTo(8);
    }

    /**
     * The zone sweep's read: {@code ListResourceRecordSets} page after page (two sets a page here), from each page's
     * {@code NextRecordName} and {@code NextRecordType}; the SOA and NS Route 53 made with the zone are in it, and the
     * owners in the SPI's form ({@code \\052} is Route 53's {@code *}).
     */
    @Test
    void aWholeZoneIsReadPageAfterPageFromEachNextRecordNameAndType() throws Exception {
        List<RrSet> planted = List.of(
                new RrSet("tailspin.com", "MX", 3600, List.of("0 tailspin-com.mail.protection.outlook.com.")),
                new RrSet("tailspin.com", "TXT", 3600, List.of("\"v=spf1 include:spf.protection.outlook.com -all\"")),
                new RrSet("relay.tailspin.com", "CNAME", 300, List.of("tailspin-com.mail.protection.outlook.com.")),
                new RrSet("smtp.tailspin.com", "A", 300, List.of("52.101.68.10", "52.101.68.11")),
                new RrSet("_submission._tcp.tailspin.com", "SRV", 300, List.of("10 5 587 tailspin-com.mail.protection.outlook.com.")));
        planted.forEach(set -> route53.edit("tailspin.com", set));
        route53.edit("tailspin.com", new RrSet("\\052.tailspin.com", "MX", 300, List.of("10 catchall.tailspin.com.")));
        route53.recordSetPageSize(2);
        int before = route53.recordSetLists();
        try {
            List<RrSet> zone = ((Route53Connector) connector).readZone("tailspin.com");

            for (RrSet set : planted) {
                assertThat(zone).as("%s", set).anySatisfy(read -> assertThat(read.sameAs(set)).isTrue());
            }
            assertThat(zone).extracting(s -> s.owner() + " " + s.type()).containsExactlyInAnyOrder("tailspin.com SOA", "tailspin.com NS",
                    "tailspin.com MX", "tailspin.com TXT", "relay.tailspin.com CNAME", "smtp.tailspin.com A", "_submission._tcp.tailspin.com SRV",
                    "*.tailspin.com MX");
            assertThat(route53.recordSetLists() - before).as("8 sets, 2 a page").isEqualTo(4);
        } finally {
            route53.recordSetPageSize(300);
        }
    }
}
