package dev.mxshift.dnspush.engine;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneSigning;
import dev.mxshift.dnspush.connectors.PowerDnsConnector;
import dev.mxshift.dnspush.connectors.Rfc2136Connector;
import dev.mxshift.lab.LabRun;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.TSIG;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's resilience against a misbehaving provider: the lab's real PowerDNS API behind a proxy that answers
 * 503, 429 or too late at a set rate. Every change still lands exactly as planned, through retries; during an
 * outage the circuit opens and calls stop reaching the provider. A write whose answer is lost is never written over
 * someone's edit made before the retry, at PowerDNS (API) and at BIND (RFC 2136, through a DNS proxy).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionIT {

    private LabRun lab;
    private FaultInjectingProxy proxy;
    private JsonNode api;

    @BeforeAll
    void up() throws Exception {
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/dns-push-service/target/lab-faults"), "--tenants", "40");
        api = lab.endpoints().path("powerdnsApi");
        proxy = new FaultInjectingProxy(URI.create(api.path("url").asString()));
    }

    @AfterAll
    void down() {
        proxy.close();
        lab.close();
    }

    /** Up to {@code max} of the lab's eligible-signed domains, each as {domain, legacy MX host}. */
    private List<String[]> eligibleSigned(int max) {
        List<String[]> domains = new ArrayList<>();
        for (JsonNode t : lab.tenants()) {
            if (t.path("scenario").asString().equals("eligible-signed") && domains.size() < max) {
                domains.add(new String[]{t.path("domain").asString(), t.path("legacyHost").asString()});
            }
        }
        return domains;
    }

    private ResilientConnector connector(String id, int attempts) {
        return new ResilientConnector(new PowerDnsConnector(id, proxy.url(), "localhost", api.path("apiKey").asString(), Duration.ofMillis(700)),
                new ResilientConnector.Limits(1000, Duration.ofSeconds(1), attempts, Duration.ofMillis(20), 4, 50, Duration.ofSeconds(2)));
    }

    @Test
    void everyChangeLandsThroughInjected5xx429AndTimeouts() throws Exception {
        ResilientConnector connector = connector("faulty", 8);
        List<String[]> domains = eligibleSigned(12);
        assertThat(domains).hasSizeGreaterThanOrEqualTo(2);
        // About a quarter of the requests fail, never half of any ten in a row: below the breaker's threshold (50%),
        // so this is the retries' job alone; the outage test below is the breaker's.
        proxy.every5xx = 9;
        proxy.every429 = 13;
        proxy.everyTimeout = 17;
        try {
            for (String[] d : domains) {
                RrSet before = new RrSet(d[0], "MX", 3600, List.of("0 " + d[1] + "."));
                RrSet after = new RrSet(d[0], "MX", 300, List.of("0 " + d[1] + "."));
                PushOutcome outcome = ChangeEngine.push(connector, new RrSetChange(d[0], d[0], "MX", before, after), false);
                assertThat(outcome).as(d[0]).isInstanceOfAny(PushOutcome.Applied.class, PushOutcome.AlreadyInPlace.class);
            }
        } finally {
            proxy.every5xx = 0;
            proxy.every429 = 0;
            proxy.everyTimeout = 0;
        }
        assertThat(proxy.faults()).as("faults were injected").isPositive();
        assertThat(connector.retry().getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isPositive();
        assertThat(connector.retry().getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isZero();
        for (String[] d : domains) {
            Optional<RrSet> served = connector.read(d[0], d[0], "MX");
            assertThat(served).hasValueSatisfying(s -> assertThat(s.sameAs(new RrSet(d[0], "MX", 300, List.of("0 " + d[1] + ".")))).isTrue());
        }
    }

    /**
     * PowerDNS on SQLite answers 500 ("database is locked") while another writer holds the lock: two push instances met
     * it 174 times in one bench/cluster-failures run, and a domain whose tries all met it ended FAILED. The limits the
     * PowerDNS type declares carry a write through five such answers in a row; the self-hosted defaults, which it
     * declared before, give up within them.
     */
    @Test
    void aWriteLandsThroughFiveLockedAnswersInARowWithThePowerDnsTypesDeclaredLimits() throws Exception {
        String domain = eligibleSigned(1).get(0)[0];
        ResilientConnector declared = new ResilientConnector(new PowerDnsConnector("locked", proxy.url(), "localhost",
                api.path("apiKey").asString(), Duration.ofSeconds(2)), ResilientConnector.Limits.of(new PowerDnsConnector.Factory().limits()));
        RrSet before = declared.read(domain, domain, "MX").orElseThrow();
        RrSet after = new RrSet(domain, "MX", before.ttl() + 1, before.rdata());
        int faultsBefore = proxy.faults();
        proxy.lockedWrites.set(5);
        try {
            PushOutcome outcome = ChangeEngine.push(declared, new RrSetChange(domain, domain, "MX", before, after), false);
            assertThat(outcome).as(domain).isInstanceOf(PushOutcome.Applied.class);
            assertThat(proxy.faults() - faultsBefore).as("every locked answer was met").isEqualTo(5);
            assertThat(declared.read(domain, domain, "MX")).hasValueSatisfying(s -> assertThat(s.sameAs(after)).as(s.toString()).isTrue());

            ResilientConnector defaults = new ResilientConnector(new PowerDnsConnector("locked-defaults", proxy.url(), "localhost",
                    api.path("apiKey").asString(), Duration.ofSeconds(2)), ResilientConnector.Limits.of(dev.mxshift.connector.ProviderLimits.selfHosted()));
            RrSet again = new RrSet(domain, "MX", after.ttl() + 1, after.rdata());
            proxy.lockedWrites.set(5);
            PushOutcome gaveUp = ChangeEngine.push(defaults, new RrSetChange(domain, domain, "MX", after, again), false);
            assertThat(gaveUp).as("the self-hosted defaults' tries end within five locked answers")
                    .isInstanceOfSatisfying(PushOutcome.Failed.class, f -> assertThat(f.kind()).isEqualTo(ConnectorException.Kind.RETRYABLE));
            assertThat(defaults.read(domain, domain, "MX")).hasValueSatisfying(s -> assertThat(s.sameAs(after)).as(s.toString()).isTrue());
        } finally {
            proxy.lockedWrites.set(0);
            // the other tests expect the lab's records: put the domain's back (through a connector whose breaker has
            // not just counted the locked answers)
            ResilientConnector restore = connector("restore", 1);
            RrSet now = restore.read(domain, domain, "MX").orElseThrow();
            assertThat(ChangeEngine.push(restore, new RrSetChange(domain, domain, "MX", now, before), false))
                    .isInstanceOfAny(PushOutcome.Applied.class, PushOutcome.AlreadyInPlace.class);
        }
    }

    /**
     * A write that landed but whose answer was lost (the client timed out, a gateway answered 504) is not sent again:
     * the retry reads first and finds the target in place. Found by the crash test, where a slow provider under load
     * turned a retried compare-and-set into a conflict with mxshift's own first attempt.
     */
    @Test
    void aWriteWhoseAnswerWasLostIsReadBackNotSentAgain() throws Exception {
        ResilientConnector connector = connector("lost-answers", 4);
        List<String[]> domains = eligibleSigned(4);
        assertThat(domains).isNotEmpty();
        proxy.loseFirstWriteAnswers(true);
        try {
            for (String[] d : domains) {
                // A name of its own (absent before), so the other tests' changes of the apex MX stay as they expect.
                String owner = "lost-answer." + d[0];
                RrSet after = new RrSet(owner, "MX", 120, List.of("10 " + d[1] + "."));
                PushOutcome outcome = ChangeEngine.push(connector, new RrSetChange(d[0], owner, "MX", null, after), false);
                assertThat(outcome).as(owner).isInstanceOf(PushOutcome.Applied.class);
                assertThat(((PushOutcome.Applied) outcome).evidence()).contains("earlier attempt landed");
                assertThat(proxy.forwardedWrites(d[0])).as("PATCHes that reached PowerDNS for " + d[0]).isEqualTo(1);
                assertThat(connector.read(d[0], owner, "MX")).hasValueSatisfying(s -> assertThat(s.sameAs(after)).isTrue());
            }
        } finally {
            proxy.loseFirstWriteAnswers(false);
        }
    }

    /**
     * sign() after a crash between the provider's creation of the key and its answer: PowerDNS creates the key, its
     * answer is lost (504 after the client's timeout), and the engine's retry must find that key and create none.
     * Two keys would make the DS the engine reads differ from the next read's, and the zone sign with a key nobody chose.
     */
    @Test
    void aSignWhoseKeyCreationAnswerWasLostCreatesNoSecondKey() throws Exception {
        String zone = lab.tenants().stream().filter(t -> t.path("scenario").asString().equals("eligible-unsigned"))
                .map(t -> t.path("domain").asString()).findFirst().orElseThrow();
        ResilientConnector connector = connector("lost-key-answer", 4);
        assertThat(connector.signing(zone).signed()).as("%s is unsigned before", zone).isFalse();
        proxy.lostAnswerMethod = "POST";
        proxy.loseFirstWriteAnswers(true);
        try {
            ZoneSigning signed = connector.sign(zone, SigningRequest.defaults());
            assertThat(proxy.forwardedWritesTo("/zones/" + zone + "./cryptokeys")).as("key creations that reached PowerDNS").isEqualTo(1);
            assertThat(proxy.faults()).as("the answer was lost").isPositive();
            assertThat(signed.keys()).as("the keys of %s after a lost answer and a retry", zone).hasSize(1);
            assertThat(connector.signing(zone).keys()).isEqualTo(signed.keys());
        } finally {
            proxy.loseFirstWriteAnswers(false);
            proxy.lostAnswerMethod = "PATCH";
            connector.unsign(zone);
        }
        assertThat(connector.signing(zone).signed()).isFalse();
    }

    /**
     * Issue 27: a write lands, its answer is lost (504 after a client timeout), and a third party edits the set before
     * the retry. The retry reads, finds neither the expected-before set nor the target, and stops: CONFLICT with both
     * versions, nothing written over the third party's edit, and exactly one PATCH at PowerDNS. (Before, a retry
     * checked only for the target and wrote again, over the edit.)
     */
    @Test
    void aLostAnswerFollowedByAThirdPartysEditEndsInConflictWithoutASecondWriteAtPowerDns() throws Exception {
        ResilientConnector connector = new ResilientConnector(new PowerDnsConnector("lost-then-edited", proxy.url(), "localhost",
                api.path("apiKey").asString(), Duration.ofSeconds(3)),
                new ResilientConnector.Limits(1000, Duration.ofSeconds(1), 4, Duration.ofMillis(20), 4, 50, Duration.ofSeconds(2)));
        PowerDnsConnector thirdParty = thirdPartyAtPowerDns();
        String[] d = eligibleSigned(1).get(0);
        String owner = "lost-then-edited." + d[0];
        RrSet target = new RrSet(owner, "MX", 120, List.of("10 " + d[1] + "."));
        RrSet theirs = theirs(owner);
        proxy.afterLostAnswer = () -> edit(thirdParty, new RrSetChange(d[0], owner, "MX", target, theirs));
        proxy.loseFirstWriteAnswers(true);
        try {
            PushOutcome outcome = ChangeEngine.push(connector, new RrSetChange(d[0], owner, "MX", null, target), false);
            assertThat(proxy.forwardedWrites(d[0])).as("PATCHes that reached PowerDNS for " + d[0]).isEqualTo(1);
            assertConflictWithBothVersions(outcome, null, theirs, "answer was lost");
            assertThat(thirdParty.read(d[0], owner, "MX")).as("the third party's edit stands")
                    .hasValueSatisfying(s -> assertThat(s.sameAs(theirs)).isTrue());
        } finally {
            proxy.loseFirstWriteAnswers(false);
            proxy.afterLostAnswer = () -> {
            };
        }
    }

    /**
     * The same through RFC 2136 at the lab's BIND: the UPDATE is applied, the connection is dropped before its answer,
     * and a third party's update comes in between. Exactly one UPDATE of ours reaches BIND: the retry reads and stops.
     * (Before, the retry sent its UPDATE again; BIND's prerequisite refused it, but it was a second write all the same.)
     */
    @Test
    void aLostAnswerFollowedByAThirdPartysEditEndsInConflictWithoutASecondWriteAtBind() throws Exception {
        JsonNode endpoints = lab.endpoints();
        JsonNode bind = null;
        for (JsonNode s : endpoints.path("authoritative")) {
            if (s.path("name").asString().equals("bind")) {
                bind = s;
            }
        }
        assertThat(bind).as("the lab's BIND").isNotNull();
        InetSocketAddress bindAddress = new InetSocketAddress(bind.path("address").asString(), bind.path("port").asInt());
        // Inline-signed, and takes TSIG-signed updates (the lab's offline-signed zones on BIND take none).
        String zone = "alpineskihouse.com";
        assertThat(bind.path("zones").toString()).contains(zone);
        JsonNode key = endpoints.path("tsig");
        String algorithm = key.path("algorithm").asString();
        TSIG tsig = new TSIG(TSIG.algorithmToName(algorithm.endsWith(".") ? algorithm : algorithm + "."), key.path("name").asString(),
                key.path("secret").asString());
        try (FaultInjectingDnsProxy dnsProxy = new FaultInjectingDnsProxy(bindAddress)) {
            ResilientConnector connector = new ResilientConnector(new Rfc2136Connector("lost-then-edited-bind", dnsProxy.address(), tsig,
                    Duration.ofSeconds(3)),
                    new ResilientConnector.Limits(1000, Duration.ofSeconds(1), 4, Duration.ofMillis(20), 4, 50, Duration.ofSeconds(2)));
            Rfc2136Connector thirdParty = new Rfc2136Connector("third-party", bindAddress, tsig, Duration.ofSeconds(5));
            String owner = "lost-then-edited." + zone;
            RrSet target = new RrSet(owner, "MX", 120, List.of("10 mx.target.example."));
            RrSet theirs = theirs(owner);
            dnsProxy.afterLostAnswer = () -> edit(thirdParty, new RrSetChange(zone, owner, "MX", target, theirs));
            dnsProxy.loseFirstUpdateAnswer();

            PushOutcome outcome = ChangeEngine.push(connector, new RrSetChange(zone, owner, "MX", null, target), false);

            assertThat(dnsProxy.updatesForwarded()).as("UPDATEs that reached BIND through the proxy").isEqualTo(1);
            assertConflictWithBothVersions(outcome, null, theirs, "answer was lost");
            assertThat(thirdParty.read(zone, owner, "MX")).as("the third party's edit stands")
                    .hasValueSatisfying(s -> assertThat(s.sameAs(theirs)).isTrue());
        }
    }

    /**
     * Issue 27: a write whose rate-limit permit does not come within the bound after its read is not sent on that
     * read. The limiter gives 2 calls every 3 s; between the engine's read and its write a third party edits the set
     * and the period's last permit is used up. With a 300 ms bound the write reads again, finds the edit and stops:
     * CONFLICT, no PATCH. (Before, the write waited up to 10 minutes for the next period and wrote over the edit.)
     */
    @Test
    void aWriteWhosePermitComesTooLongAfterItsReadReadsAgainAndWritesNothingOverAnEdit() throws Exception {
        ResilientConnector connector = new ResilientConnector(new PowerDnsConnector("slow-permits", proxy.url(), "localhost",
                api.path("apiKey").asString(), Duration.ofSeconds(5)),
                new ResilientConnector.Limits(2, Duration.ofSeconds(3), 1, Duration.ofMillis(20), 4, 50, Duration.ofSeconds(2))
                        .withWritePermitWait(Duration.ofMillis(300)));
        PowerDnsConnector thirdParty = thirdPartyAtPowerDns();
        String[] d = eligibleSigned(2).get(1);
        String owner = "stale-read." + d[0];
        RrSet target = new RrSet(owner, "MX", 120, List.of("10 " + d[1] + "."));
        RrSet theirs = theirs(owner);
        proxy.loseFirstWriteAnswers(false);
        proxy.afterNextRead(() -> {
            edit(thirdParty, new RrSetChange(d[0], owner, "MX", null, theirs));
            connector.limiter().drainPermissions();
        });

        PushOutcome outcome = ChangeEngine.push(connector, new RrSetChange(d[0], owner, "MX", null, target), false);

        assertThat(proxy.forwardedWrites(d[0])).as("PATCHes that reached PowerDNS for " + d[0]).isZero();
        assertConflictWithBothVersions(outcome, null, theirs, "no permit within 300 ms");
        assertThat(thirdParty.read(d[0], owner, "MX")).hasValueSatisfying(s -> assertThat(s.sameAs(theirs)).isTrue());
    }

    /**
     * Issue 27, found in review: the bound runs from the read, not from the permit. A write that waits for its turn among
     * the writes in flight (max-concurrent-writes 1, the slot held here as another write would hold it) longer than the
     * bound after its read reads again before it is sent; a third party's edit made meanwhile ends it in CONFLICT with no
     * PATCH. (Before, it waited up to a minute in the bulkhead and wrote over the edit.)
     */
    @Test
    void aWriteThatWaitedForItsTurnLongerThanTheBoundAfterItsReadReadsAgainAndWritesNothingOverAnEdit() throws Exception {
        ResilientConnector connector = new ResilientConnector(new PowerDnsConnector("one-at-a-time", proxy.url(), "localhost",
                api.path("apiKey").asString(), Duration.ofSeconds(5)),
                new ResilientConnector.Limits(1000, Duration.ofSeconds(1), 1, Duration.ofMillis(20), 4, 50, Duration.ofSeconds(2), 1)
                        .withWritePermitWait(Duration.ofMillis(50)));
        PowerDnsConnector thirdParty = thirdPartyAtPowerDns();
        String[] d = eligibleSigned(3).get(2);
        String owner = "queued-write." + d[0];
        RrSet theirs = theirs(owner);
        proxy.loseFirstWriteAnswers(false);
        proxy.countAnew();
        proxy.afterNextRead(() -> edit(thirdParty, new RrSetChange(d[0], owner, "MX", null, theirs)));
        connector.writeBulkhead().acquirePermission();
        java.util.concurrent.CompletableFuture<PushOutcome> queued = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                ChangeEngine.push(connector, new RrSetChange(d[0], owner, "MX", null, new RrSet(owner, "MX", 120, List.of("10 " + d[1] + "."))), false));
        // the write's turn comes only when the slot is given back: for as long as it is held, nothing of it reaches PowerDNS
        org.awaitility.Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                .until(() -> proxy.forwardedWrites(d[0]) == 0 && !queued.isDone());
        connector.writeBulkhead().onComplete();

        PushOutcome outcome = queued.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(proxy.forwardedWrites(d[0])).as("PATCHes that reached PowerDNS for " + d[0]).isZero();
        assertConflictWithBothVersions(outcome, null, theirs, "for its turn after its read");
        assertThat(thirdParty.read(d[0], owner, "MX")).hasValueSatisfying(s -> assertThat(s.sameAs(theirs)).isTrue());
    }

    /** A third party writing straight to PowerDNS, not through the proxy. */
    private PowerDnsConnector thirdPartyAtPowerDns() {
        return new PowerDnsConnector("third-party", URI.create(api.path("url").asString()), "localhost", api.path("apiKey").asString(),
                Duration.ofSeconds(5));
    }

    /** The set a third party puts at {@code owner}: neither an expected-before set of these tests nor a target. */
    private static RrSet theirs(String owner) {
        return new RrSet(owner, "MX", 600, List.of("5 mx.third-party.example."));
    }

    /** A third party's write, made while the proxy holds back an answer; it must land. */
    private static void edit(dev.mxshift.connector.DnsConnector thirdParty, RrSetChange change) {
        try {
            thirdParty.apply(change);
        } catch (ConnectorException e) {
            throw new AssertionError("the third party's edit failed: " + e.getMessage(), e);
        }
    }

    /** A CONFLICT that keeps both versions: the plan's expected set and the third party's; {@code why} in its detail. */
    private static void assertConflictWithBothVersions(PushOutcome outcome, RrSet expected, RrSet theirs, String why) {
        assertThat(outcome).isInstanceOfSatisfying(PushOutcome.Conflict.class, conflict -> {
            assertThat(conflict.expected()).as("the version the plan expected").isEqualTo(expected);
            assertThat(conflict.actual()).as("the version found").isNotNull();
            assertThat(conflict.actual().sameAs(theirs)).as("the version found is the third party's: %s", conflict.actual()).isTrue();
            assertThat(conflict.detail()).contains(why);
        });
    }

    /**
     * With one write in flight allowed and four calls, the writes reach the provider one at a time while the reads of
     * the other changes' compares go on alongside; with the writes bounded only by the calls, they overlap (so the
     * first half can fail; PowerDNS on SQLite refuses some of them, and they are retried). Each change lands as planned
     * either way.
     */
    @Test
    void writesGoOneAtATimeWhileReadsGoOnAlongside() throws Exception {
        List<String[]> domains = eligibleSigned(4);
        assertThat(domains).hasSize(4);
        proxy.writePauseMillis = 150;
        try {
            ResilientConnector oneWriter = new ResilientConnector(new PowerDnsConnector("one-writer", proxy.url(), "localhost",
                    api.path("apiKey").asString(), Duration.ofSeconds(5)),
                    new ResilientConnector.Limits(1000, Duration.ofSeconds(1), 1, Duration.ofMillis(20), 4, 50, Duration.ofSeconds(2), 1));
            proxy.countAnew();
            pushConcurrently(oneWriter, domains, "one-writer");
            assertThat(proxy.mostInFlight("PATCH")).as("PATCHes at the provider at once").isEqualTo(1);
            assertThat(proxy.readsDuringWrites()).as("GETs that reached the provider during a PATCH").isPositive();

            ResilientConnector manyWriters = new ResilientConnector(new PowerDnsConnector("many-writers", proxy.url(), "localhost",
                    api.path("apiKey").asString(), Duration.ofSeconds(5)),
                    // Retried: SQLite takes one write at a time, and PowerDNS answers an overlapping one with HTTP 500.
                    new ResilientConnector.Limits(1000, Duration.ofSeconds(1), 8, Duration.ofMillis(20), 4, 100, Duration.ofSeconds(2)));
            proxy.countAnew();
            pushConcurrently(manyWriters, domains, "many-writers");
            assertThat(proxy.mostInFlight("PATCH")).as("PATCHes at the provider at once, writes not bounded apart").isGreaterThan(1);
        } finally {
            proxy.writePauseMillis = 0;
        }
    }

    /** Two new names (absent before) per domain, set by as many threads as domains; all must land. */
    private void pushConcurrently(ResilientConnector connector, List<String[]> domains, String label) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(domains.size());
        try {
            List<java.util.concurrent.Future<PushOutcome>> outcomes = new ArrayList<>();
            List<RrSetChange> changes = new ArrayList<>();
            for (String[] d : domains) {
                for (int i = 1; i <= 2; i++) {
                    String owner = label + "-" + i + "." + d[0];
                    changes.add(new RrSetChange(d[0], owner, "MX", null, new RrSet(owner, "MX", 120, List.of("10 " + d[1] + "."))));
                }
            }
            for (RrSetChange change : changes) {
                outcomes.add(pool.submit(() -> ChangeEngine.push(connector, change, false)));
            }
            for (int i = 0; i < changes.size(); i++) {
                assertThat(outcomes.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS)).as(changes.get(i).owner())
                        .isInstanceOf(PushOutcome.Applied.class);
                RrSetChange change = changes.get(i);
                assertThat(connector.read(change.zone(), change.owner(), "MX")).hasValueSatisfying(s -> assertThat(s.sameAs(change.target())).isTrue());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anOutageOpensTheCircuitAndCallsStopReachingTheProvider() {
        ResilientConnector connector = connector("outage", 1);
        proxy.outage = true;
        try {
            for (int i = 0; i < 10; i++) {
                assertThatThrownBy(() -> connector.read("contoso.com", "contoso.com", "MX")).isInstanceOf(ConnectorException.class);
            }
            assertThat(connector.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
            int before = proxy.requests();
            assertThatThrownBy(() -> connector.read("contoso.com", "contoso.com", "MX"))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.RETRYABLE);
                        assertThat(e.getMessage()).contains("circuit is open");
                    });
            assertThat(proxy.requests()).as("an open circuit sends nothing").isEqualTo(before);
        } finally {
            proxy.outage = false;
        }
    }
}
