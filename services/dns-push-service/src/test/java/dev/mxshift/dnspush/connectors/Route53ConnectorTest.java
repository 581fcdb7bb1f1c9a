package dev.mxshift.dnspush.connectors;

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

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Route 53 connector against a local server that answers as Route 53's API documents and checks every
 * request's Signature Version 4: the conformance kit (Route 53's change batch is a native compare-and-set),
 * and throttling ridden out by retries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Route53ConnectorTest extends ConnectorConformanceKit {

    private static final String KEY_ID = "AKIAMXSHIFTTEST";
    private static final String SECRET = "route53/test/secret/key/0123456789abcdef";

    private Route53ApiServer route53;
    private DnsConnector connector;
    private DnsConnector wrong;

    @BeforeAll
    void up() throws Exception {
        route53 = new Route53ApiServer(KEY_ID, SECRET, "contoso.com", "fabrikam.com");
        connector = new Route53Connector("route53-main", route53.url(), StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)),
                Duration.ofSeconds(5));
        wrong = new Route53Connector("route53-wrong", route53.url(), StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, "not-the-secret")),
                Duration.ofSeconds(5));
    }

    @AfterAll
    void down() {
        route53.close();
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
        return new Route53Connector.Factory();
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
    void throttlingIsRetriedAndTheBatchLandsOnce() throws Exception {
        ResilientConnector resilient = new ResilientConnector(connector, new ResilientConnector.Limits(5, Duration.ofSeconds(1), 5,
                Duration.ofMillis(10), 2, 50, Duration.ofSeconds(30)));
        RrSet before = Route53WriteFirst.LEGACY;
        route53.edit("fabrikam.com", before);
        route53.throttleEvery(2);
        try {
            PushOutcome outcome = ChangeEngine.push(resilient, new RrSetChange("fabrikam.com", "fabrikam.com", "MX", before,
                    new RrSet("fabrikam.com", "MX", 300, before.rdata())), false);
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

        PushOutcome outcome = ChangeEngine.push(connector, new RrSetChange("fabrikam.com", "fabrikam.com", "MX", before,
                new RrSet("fabrikam.com", "MX", 300, before.rdata())), true);

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
}
