package dev.mxshift.dnspush.bench;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.dnspush.connectors.Route53ApiServer;
import dev.mxshift.dnspush.connectors.Route53Connector;
import dev.mxshift.dnspush.engine.ChangeEngine;
import dev.mxshift.dnspush.engine.PushOutcome;
import dev.mxshift.dnspush.engine.ResilientConnector;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: what Route 53's 5 requests a second allow (bench/route53). N MX changes through the change engine and a
 * {@link ResilientConnector} at Route 53's default limits, against the local server that answers as Route 53's API
 * documents (AWS cannot be reached from here; the limiter, not the server, sets the pace), twice on fresh zones:
 * as the engine does it (Route 53 compares the whole set itself, so write first, read only on a refusal), and with
 * the same connector declaring no such compare (read, compare, write: the engine before this capability). Prints
 * one Markdown row per pass. Arguments: N (default 100), THREADS (default 4).
 */
public final class Route53PushBenchmark {

    private static final String KEY_ID = "AKIAMXSHIFTBENCH";
    private static final String SECRET = "route53/bench/secret/key/0123456789abcdef";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        System.out.println("| path | changes | threads | limit | seconds | changes/s | reads per change | change batches per change | outcomes |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        pass("write first (Route 53 compares the whole set)", n, threads, false);
        pass("read, compare, write", n, threads, true);
    }

    private static void pass(String label, int n, int threads, boolean readFirst) throws Exception {
        String[] zones = new String[n];
        for (int i = 0; i < n; i++) {
            zones[i] = String.format("bench-%05d.example", i);
        }
        try (Route53ApiServer route53 = new Route53ApiServer(KEY_ID, SECRET, zones)) {
            DnsConnector direct = new Route53Connector("bench-route53", route53.url(), StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)),
                    Duration.ofSeconds(15));
            ResilientConnector connector = new ResilientConnector(readFirst ? withoutWholeSetCompare(direct) : direct,
                    ResilientConnector.Limits.of(new Route53Connector.Factory().limits()).withConcurrency(threads, threads));
            for (String zone : zones) {
                route53.edit(zone, new RrSet(zone, "MX", 3600, List.of("0 " + zone.replace('.', '-') + ".mail.protection.outlook.com.")));
                // Learns the hosted zone's id outside the limiter, as a long migration has for its later steps: the
                // passes then measure the requests of a change, not of a zone's first look-up.
                direct.read(zone, zone, "MX");
            }
            int listsBefore = route53.recordSetLists();
            int batchesBefore = route53.changeBatches();
            Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long started = System.nanoTime();
            List<Future<Object>> workers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        String zone = zones[i];
                        RrSet before = new RrSet(zone, "MX", 3600, List.of("0 " + zone.replace('.', '-') + ".mail.protection.outlook.com."));
                        PushOutcome outcome = ChangeEngine.push(connector, new RrSetChange(zone, zone, "MX", before,
                                new RrSet(zone, "MX", 300, before.rdata())), false);
                        outcomes.computeIfAbsent(outcome.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<Object> worker : workers) {
                worker.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            pool.shutdown();
            System.out.printf("| %s | %d | %d | 5 requests/s | %.1f | %.2f | %.2f | %.2f | %s |%n", label, n, threads, seconds, n / seconds,
                    (route53.recordSetLists() - listsBefore) / (double) n, (route53.changeBatches() - batchesBefore) / (double) n, outcomes);
        }
    }

    /** The same connector, declaring no native compare that covers the TTL: the engine then reads before each write. */
    private static DnsConnector withoutWholeSetCompare(DnsConnector connector) {
        return new DnsConnector() {
            @Override
            public String id() {
                return connector.id();
            }

            @Override
            public Capabilities capabilities() {
                Capabilities c = connector.capabilities();
                return new Capabilities(c.recordTypes(), c.dnssecManagement(), c.zoneListing(), c.atomicMultiSet(), c.nativeCompareAndSet());
            }

            @Override
            public Optional<RrSet> read(String zone, String owner, String type) throws ConnectorException {
                return connector.read(zone, owner, type);
            }

            @Override
            public ApplyReceipt apply(RrSetChange change) throws ConnectorException {
                return connector.apply(change);
            }
        };
    }
}
