package dev.mxshift.dnspush.bench;

import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.dnspush.connectors.PowerDnsConnector;
import dev.mxshift.dnspush.engine.ChangeEngine;
import dev.mxshift.dnspush.engine.PushOutcome;
import dev.mxshift.dnspush.engine.ResilientConnector;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Not a test: the push benchmark (bench/push). For N lab domains served by PowerDNS, in one run:
 * <ol>
 * <li>the ceiling: a plain HTTP loop sends each domain's MX PATCH, once not counted (to TTL 604, so no measured
 * pass is the first to touch the zones), then one at a time (to 603) and THREADS at a time (to 602); the faster
 * of the two measured passes is the ceiling;</li>
 * <li>the bound of any compare-and-set client: a plain loop sends the connector's filtered zone GET, checks the MX
 * set, and PATCHes it to 600, THREADS at a time with WRITES PATCHes in flight;</li>
 * <li>mxshift: the change engine (read, compare, PATCH) through a {@link ResilientConnector} whose limiter is set
 * out of the way, with THREADS calls and WRITES writes in flight, pushes each domain's MX from TTL 600 to 300,
 * THREADS at a time;</li>
 * <li>the same engine through the RFC 2136 connector to the same PowerDNS (its DNS port, TSIG; the server checks the
 * update's prerequisites), each domain's MX from TTL 300 to 301: printed to stderr, against the same ceiling;</li>
 * <li>the limiter: reads through a connector limited to RATE per second for 10 s, and the rate achieved.</li>
 * </ol>
 * The two plain passes and the engine take turns a tenth of the domains at a time, so a drift in the disk's pace
 * weighs on all three alike. Arguments: endpoints.json, tenants.json, N, THREADS, RATE, WRITES (at most THREADS).
 */
public final class PushBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Catalogue scenarios whose zone is on PowerDNS and whose MX is "0 <legacy host>", as tenants.json names it. */
    private static final java.util.Set<String> ON_POWERDNS_WITH_ONE_LEGACY_MX_AT_0 = java.util.Set.of("eligible-signed",
            "eligible-unsigned", "signed-no-ds", "bogus-ds-mismatch", "legacy-eo", "legacy-de", "mta-sts-wildcard", "mta-sts-exact",
            "hyphenated", "idn", "target-tlsa-mismatch", "target-pkix-only");

    public static void main(String[] args) throws Exception {
        JsonNode endpoints = JSON.readTree(Path.of(args[0]).toFile());
        JsonNode tenants = JSON.readTree(Path.of(args[1]).toFile());
        int n = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int writes = Integer.parseInt(args[5]);
        if (writes < 1 || writes > threads) {
            throw new IllegalArgumentException("WRITES must be between 1 and THREADS (" + threads + "), got " + writes);
        }
        String url = endpoints.path("powerdnsApi").path("url").asString();
        String key = endpoints.path("powerdnsApi").path("apiKey").asString();
        List<String[]> domains = new ArrayList<>();
        for (JsonNode t : tenants) {
            if (domains.size() < n && ON_POWERDNS_WITH_ONE_LEGACY_MX_AT_0.contains(t.path("scenario").asString())) {
                domains.add(new String[]{t.path("domain").asString(), t.path("legacyHost").asString()});
            }
        }
        if (domains.size() < n) {
            throw new IllegalArgumentException("the lab has only " + domains.size() + " PowerDNS domains with one legacy MX at 0; bring it up with more tenants");
        }

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        AtomicLong plainFailures = new AtomicLong();
        Map<Integer, AtomicLong> plainStatuses = new java.util.concurrent.ConcurrentHashMap<>();
        ResilientConnector unlimited = new ResilientConnector(new PowerDnsConnector("bench-powerdns", URI.create(url), "localhost", key,
                Duration.ofSeconds(10)), new ResilientConnector.Limits(1_000_000, Duration.ofSeconds(1), 50, Duration.ofMillis(1),
                threads, 100, Duration.ofSeconds(30), threads));
        // The same engine through RFC 2136 to the same PowerDNS (its DNS port, TSIG): a write whose prerequisites the
        // server checks itself, and reads that are DNS queries instead of API requests. PowerDNS takes DNS updates
        // THREADS at a time without refusing any (the plain UPDATE loop below shows it), so writes are not bounded apart.
        String pdnsDns = "";
        for (JsonNode server : endpoints.path("authoritative")) {
            if (server.path("name").asString().equals("powerdns")) {
                pdnsDns = server.path("address").asString() + ":" + server.path("port").asInt();
            }
        }
        int colon = pdnsDns.lastIndexOf(':');
        org.xbill.DNS.TSIG tsig = new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.algorithmToName(endpoints.path("tsig").path("algorithm").asString() + "."),
                endpoints.path("tsig").path("name").asString(), endpoints.path("tsig").path("secret").asString());
        ResilientConnector updates = new ResilientConnector(new dev.mxshift.dnspush.connectors.Rfc2136Connector("bench-powerdns-rfc2136",
                new java.net.InetSocketAddress(pdnsDns.substring(0, colon), Integer.parseInt(pdnsDns.substring(colon + 1))), tsig,
                Duration.ofSeconds(10)), new ResilientConnector.Limits(1_000_000, Duration.ofSeconds(1), 50, Duration.ofMillis(1),
                threads, 100, Duration.ofSeconds(30), threads));
        Map<Class<?>, AtomicLong> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Class<?>, AtomicLong> updateOutcomes = new java.util.concurrent.ConcurrentHashMap<>();
        double updateSeconds = 0;
        double plainUpdateOneSeconds = 0;
        double plainUpdateManySeconds = 0;
        org.xbill.DNS.SimpleResolver plainUpdates = new org.xbill.DNS.SimpleResolver(new java.net.InetSocketAddress(pdnsDns.substring(0, colon),
                Integer.parseInt(pdnsDns.substring(colon + 1))));
        plainUpdates.setTCP(true);
        plainUpdates.setTSIGKey(tsig);
        plainUpdates.setTimeout(Duration.ofSeconds(10));
        Map<String, AtomicLong> plainUpdateRcodes = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong plainUpdateFailures = new AtomicLong();
        // A first pass not counted (to TTL 604), so no measured pass is the first to touch the zones.
        plainLoop(http, url, key, domains, 0, domains.size(), 1, 604, new java.util.concurrent.ConcurrentHashMap<>(), new AtomicLong());
        // The paths take turns, a chunk of domains at a time, so that the disk's pace (the lab's PowerDNS writes to
        // SQLite), which drifts on this kind of machine, weighs on all of them alike.
        int chunk = Math.max(1, domains.size() / 10);
        double plainOneSeconds = 0;
        double plainManySeconds = 0;
        double compareSeconds = 0;
        double engineSeconds = 0;
        java.util.concurrent.Semaphore compareWrites = new java.util.concurrent.Semaphore(writes);
        AtomicLong compareMismatches = new AtomicLong();
        for (int from = 0; from < domains.size(); from += chunk) {
            int to = Math.min(domains.size(), from + chunk);
            plainOneSeconds += plainLoop(http, url, key, domains, from, to, 1, 603, plainStatuses, plainFailures);
            if (threads > 1) {
                plainManySeconds += plainLoop(http, url, key, domains, from, to, threads, 602, plainStatuses, plainFailures);
            }
            int ttlBefore = threads > 1 ? 602 : 603;
            compareSeconds += run(from, to, threads, i -> {
                String[] d = domains.get(i);
                if (!plainCompare(http, url, key, d, ttlBefore)) {
                    compareMismatches.incrementAndGet();
                    return;
                }
                compareWrites.acquireUninterruptibly();
                try {
                    patch(http, url, key, d, 600, plainStatuses, plainFailures);
                } finally {
                    compareWrites.release();
                }
            });
            engineSeconds += enginePass(unlimited, domains, from, to, threads, 600, 300, outcomes);
            plainUpdateOneSeconds += plainUpdateLoop(plainUpdates, domains, from, to, 1, 299, plainUpdateRcodes, plainUpdateFailures);
            if (threads > 1) {
                plainUpdateManySeconds += plainUpdateLoop(plainUpdates, domains, from, to, threads, 298, plainUpdateRcodes, plainUpdateFailures);
            }
            updateSeconds += enginePass(updates, domains, from, to, threads, threads > 1 ? 298 : 299, 301, updateOutcomes);
        }
        double overUpdates = domains.size() / updateSeconds;
        double plainUpdateOne = domains.size() / plainUpdateOneSeconds;
        double plainUpdateMany = threads == 1 ? plainUpdateOne : domains.size() / plainUpdateManySeconds;
        double plainUpdate = Math.max(plainUpdateOne, plainUpdateMany);
        double plainOne = domains.size() / plainOneSeconds;
        double plainMany = threads == 1 ? plainOne : domains.size() / plainManySeconds;
        double plain = Math.max(plainOne, plainMany);
        double compare = domains.size() / compareSeconds;
        double engine = domains.size() / engineSeconds;
        System.err.printf("plain loop: 1 thread %.0f/s, %d threads %.0f/s; plain compare-then-write loop %.0f/s (%d found not as expected);"
                + " PATCHes sent again, by HTTP status: %s%n", plainOne, threads, plainMany, compare, compareMismatches.get(), plainStatuses);
        System.err.printf("mxshift engine over RFC 2136 to the same PowerDNS: %.0f/s, %.2f of the plain PATCH loop's faster pass; outcomes %s%n",
                overUpdates, overUpdates / plain, updateOutcomes);
        if (compareMismatches.get() > 0) {
            throw new IllegalStateException(compareMismatches.get() + " domains were not as the plain compare loop expected; the figures would not compare");
        }

        ResilientConnector limited = new ResilientConnector(new PowerDnsConnector("bench-limited", URI.create(url), "localhost", key,
                Duration.ofSeconds(10)), new ResilientConnector.Limits(rate, Duration.ofSeconds(1), 1, Duration.ofMillis(100),
                threads, 50, Duration.ofSeconds(30)));
        AtomicLong reads = new AtomicLong();
        long limitStart = System.nanoTime();
        long limitEnd = limitStart + Duration.ofSeconds(10).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int offset = t;
            workers.add(pool.submit(() -> {
                for (int i = offset; System.nanoTime() < limitEnd; i += threads) {
                    String[] d = domains.get(i % domains.size());
                    try {
                        limited.read(d[0], d[0], "MX");
                        if (System.nanoTime() <= limitEnd) {
                            reads.incrementAndGet();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        double achieved = reads.get() / 10.0;

        System.out.printf("| %d | %d | %d | %.0f / %.0f | %.0f (%.2f) | %.0f | %.2f | %.2f | %s | %d | %d | %.1f | %.2f%% |%n", domains.size(),
                threads, writes, plainOne, plainMany, compare, compare / plain, engine, engine / plain, engine / compare, outcomes.entrySet().stream().map(e -> e.getKey().getSimpleName() + " " + e.getValue()).toList(),
                plainFailures.get(), rate, achieved, 100.0 * (achieved - rate) / rate);
        System.out.println();
        System.out.println("| changes | threads | writes in flight | plain UPDATE loop changes/s (1 thread / THREADS) | mxshift engine over RFC 2136 changes/s"
                + " | ratio to the faster plain UPDATE pass | ratio to the faster plain PATCH pass (target 0.80) | engine outcomes | plain UPDATE failures (answers sent again) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        System.out.printf("| %d | %d | %d | %.0f / %.0f | %.0f | %.2f | %.2f | %s | %d (%s) |%n", domains.size(), threads, writes, plainUpdateOne,
                plainUpdateMany, overUpdates, overUpdates / plainUpdate, overUpdates / plain,
                updateOutcomes.entrySet().stream().map(e -> e.getKey().getSimpleName() + " " + e.getValue()).toList(), plainUpdateFailures.get(),
                plainUpdateRcodes);
    }

    /**
     * The plain RFC 2136 loop: for domains from..to-1, a TSIG-signed UPDATE that replaces the MX set with TTL {@code ttl}
     * (no prerequisites), {@code threads} at a time over TCP; an answer other than NOERROR is sent again. Seconds taken.
     */
    private static double plainUpdateLoop(org.xbill.DNS.SimpleResolver resolver, List<String[]> domains, int from, int to, int threads, long ttl,
                                          Map<String, AtomicLong> rcodes, AtomicLong failures) throws Exception {
        return run(from, to, threads, i -> {
            String[] d = domains.get(i);
            try {
                org.xbill.DNS.Name zone = org.xbill.DNS.Name.fromString(d[0] + ".");
                org.xbill.DNS.Update update = new org.xbill.DNS.Update(zone);
                update.delete(zone, org.xbill.DNS.Type.MX);
                update.add(org.xbill.DNS.Record.fromString(zone, org.xbill.DNS.Type.MX, org.xbill.DNS.DClass.IN, ttl, "0 " + d[1] + ".",
                        org.xbill.DNS.Name.root));
                for (int attempt = 0; attempt < 50; attempt++) {
                    int rcode;
                    try {
                        rcode = resolver.send(update).getRcode();
                    } catch (java.io.IOException e) {
                        rcode = -1;
                    }
                    if (rcode == org.xbill.DNS.Rcode.NOERROR) {
                        return;
                    }
                    rcodes.computeIfAbsent(rcode < 0 ? "no answer" : org.xbill.DNS.Rcode.string(rcode), c -> new AtomicLong()).incrementAndGet();
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            failures.incrementAndGet();
        });
    }

    /** mxshift's engine pushes the MX of domains from..to-1 from {@code ttlBefore} to {@code ttlAfter}; returns the seconds taken. */
    private static double enginePass(ResilientConnector connector, List<String[]> domains, int from, int to, int threads, long ttlBefore,
                                     long ttlAfter, Map<Class<?>, AtomicLong> outcomes) throws Exception {
        return run(from, to, threads, i -> {
            String[] d = domains.get(i);
            RrSet before = new RrSet(d[0], "MX", ttlBefore, List.of("0 " + d[1] + "."));
            RrSet after = new RrSet(d[0], "MX", ttlAfter, List.of("0 " + d[1] + "."));
            PushOutcome outcome = ChangeEngine.push(connector, new RrSetChange(d[0], d[0], "MX", before, after), false);
            outcomes.computeIfAbsent(outcome.getClass(), c -> new AtomicLong()).incrementAndGet();
        });
    }

    /** The plain loop: the MX of domains from..to-1 PATCHed to {@code ttl}, {@code threads} at a time; returns the seconds taken. */
    private static double plainLoop(HttpClient http, String url, String key, List<String[]> domains, int from, int to, int threads, int ttl,
                                    Map<Integer, AtomicLong> statuses, AtomicLong failures) throws Exception {
        return run(from, to, threads, i -> patch(http, url, key, domains.get(i), ttl, statuses, failures));
    }

    /**
     * The least a compare-and-set client can do before a PowerDNS PATCH, whose API has no conditional write: the same
     * filtered zone GET the connector sends, and a check that the MX set is the one expected (one legacy host at
     * preference 0, TTL {@code ttl}). No retries, limits or outcome; returns whether the set was as expected.
     */
    private static boolean plainCompare(HttpClient http, String url, String key, String[] d, int ttl) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/servers/localhost/zones/" + d[0]
                            + ".?rrset_name=" + d[0] + ".&rrset_type=MX")).header("X-API-Key", key).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return false;
            }
            for (JsonNode rrset : JSON.readTree(response.body()).path("rrsets")) {
                if (rrset.path("type").asString().equals("MX") && rrset.path("ttl").asInt() == ttl
                        && rrset.path("records").size() == 1
                        && rrset.path("records").get(0).path("content").asString().equals("0 " + d[1] + ".")) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** One domain's MX PATCHed to {@code ttl}, sent again while the server answers otherwise than 204. */
    private static void patch(HttpClient http, String url, String key, String[] d, int ttl, Map<Integer, AtomicLong> statuses,
                              AtomicLong failures) {
        String body = "{\"rrsets\":[{\"name\":\"" + d[0] + ".\",\"type\":\"MX\",\"ttl\":" + ttl + ",\"changetype\":\"REPLACE\","
                + "\"records\":[{\"content\":\"0 " + d[1] + ".\",\"disabled\":false}]}]}";
        // The ceiling does the job too: a PATCH the server could not take (SQLite busy: 500) is sent again at once.
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url + "/servers/localhost/zones/" + d[0] + "."))
                        .header("X-API-Key", key).header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 204) {
                    return;
                }
                statuses.computeIfAbsent(response.statusCode(), c -> new AtomicLong()).incrementAndGet();
            } catch (Exception e) {
                statuses.computeIfAbsent(-1, c -> new AtomicLong()).incrementAndGet();
            }
        }
        failures.incrementAndGet();
    }

    /** Runs {@code work} for from..to-1 on {@code threads} threads; returns the seconds taken. */
    private static double run(int from, int to, int threads, IntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong next = new AtomicLong(from);
        long started = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                for (long i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                    work.accept((int) i);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        return (System.nanoTime() - started) / 1e9;
    }
}
