package dev.mxshift.lab;

import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Proves invariant 6 ("never a bogus second") during a run: once a second it asks a validating resolver for the SOA
 * and the MX of every watched zone and for a name under it that was never asked before (so validated afresh, not taken
 * from the cache), with DO set, and counts every SERVFAIL, remembering the first one per zone with
 * its time and the resolver's extended DNS error text (RFC 8914). The zones can change while it runs (a
 * {@link Supplier}, or {@link #add}/{@link #remove}). It stops by itself after the maximum duration given at
 * construction, so a test that forgets {@link #stop()} leaves no thread behind for long.
 *
 * <pre>{@code
 * try (BogusMonitor monitor = new BogusMonitor("127.0.10.53", 5353, Duration.ofMinutes(10))) {
 *     monitor.add("contoso.ch");
 *     monitor.start();
 *     ... run the migration ...
 *     assertThat(monitor.stop().servfails()).isZero();
 * }
 * }</pre>
 */
public final class BogusMonitor implements AutoCloseable {

    /** The first SERVFAIL seen for a zone. */
    public record Failure(String zone, String type, Instant at, String extendedError) {
    }

    /**
     * What the monitor saw. {@code servfails} counts SERVFAIL answers (the resolver's "bogus" for a validating
     * resolver); {@code unanswered} counts queries that timed out, which are not SERVFAILs but make a clean report
     * suspicious.
     */
    public record Report(long rounds, long queries, long servfails, long unanswered, Map<String, Long> servfailsPerZone,
                         Map<String, Failure> firstFailurePerZone, boolean stoppedByLimit) {

        public boolean clean() {
            return servfails == 0;
        }
    }

    private static final Duration ROUND = Duration.ofSeconds(1);

    private final String address;
    private final int port;
    private final Supplier<? extends Collection<String>> zones;
    private final Set<String> added = new CopyOnWriteArraySet<>();
    private final Duration maxDuration;
    private final Clock clock;
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong servfails = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final Map<String, AtomicLong> perZone = new ConcurrentHashMap<>();
    private final Map<String, Failure> first = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> task;
    private Instant startedAt;
    private volatile boolean stoppedByLimit;

    /** Watches the zones given by {@link #add}. */
    public BogusMonitor(String address, int port, Duration maxDuration) {
        this(address, port, null, maxDuration);
    }

    /** Watches whatever {@code zones} returns at each round, plus those given by {@link #add}. */
    public BogusMonitor(String address, int port, Supplier<? extends Collection<String>> zones, Duration maxDuration) {
        if (maxDuration == null || maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("a bogus monitor needs a positive maximum duration, got " + maxDuration);
        }
        this.address = address;
        this.port = port;
        this.zones = zones;
        this.maxDuration = maxDuration;
        this.clock = Clock.systemUTC();
    }

    public BogusMonitor add(String zone) {
        added.add(canonical(zone));
        return this;
    }

    public BogusMonitor remove(String zone) {
        added.remove(canonical(zone));
        return this;
    }

    public synchronized BogusMonitor start() {
        if (executor != null) {
            throw new IllegalStateException("the bogus monitor already ran; make a new one");
        }
        startedAt = clock.instant();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bogus-monitor " + address + ":" + port);
            thread.setDaemon(true);
            return thread;
        });
        task = executor.scheduleWithFixedDelay(this::round, 0, ROUND.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Stops (waiting for a round in progress to finish) and returns what it saw. */
    public synchronized Report stop() {
        if (executor != null && !executor.isShutdown()) {
            task.cancel(false);
            executor.shutdown();
            try {
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        return report();
    }

    @Override
    public void close() {
        stop();
    }

    /** What it saw so far (it may still be running). */
    public Report report() {
        Map<String, Long> counts = new LinkedHashMap<>();
        perZone.forEach((zone, count) -> counts.put(zone, count.get()));
        return new Report(rounds.get(), queries.get(), servfails.get(), unanswered.get(), Map.copyOf(counts), Map.copyOf(first), stoppedByLimit);
    }

    private void round() {
        if (Duration.between(startedAt, clock.instant()).compareTo(maxDuration) >= 0) {
            stoppedByLimit = true;
            task.cancel(false);
            executor.shutdown();
            return;
        }
        Set<String> watched = new java.util.TreeSet<>(added);
        if (zones != null) {
            zones.get().forEach(z -> watched.add(canonical(z)));
        }
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(address, port));
        resolver.setTimeout(Duration.ofSeconds(2));
        long round = rounds.get();
        for (String zone : watched) {
            for (int type : new int[]{Type.SOA, Type.MX}) {
                ask(resolver, zone, zone, type);
            }
            // The SOA and MX are cached for their TTL (an hour), so they show what the zone was when first asked; a name
            // never asked before is validated against the chain as it is this second, as a sender's next lookup would be.
            ask(resolver, zone, "_bogus-monitor-" + round + "-" + SESSION + "." + zone, Type.TXT);
        }
        rounds.incrementAndGet();
    }

    private static final String SESSION = Long.toHexString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);

    private void ask(SimpleResolver resolver, String zone, String name, int type) {
        queries.incrementAndGet();
        try {
            Message query = Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN));
            query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
            Message reply = resolver.send(query);
            if (reply.getRcode() == Rcode.SERVFAIL) {
                servfails.incrementAndGet();
                perZone.computeIfAbsent(zone, z -> new AtomicLong()).incrementAndGet();
                first.putIfAbsent(zone, new Failure(zone, Type.string(type), clock.instant(), extendedError(reply)));
            }
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + zone, e);
        } catch (IOException e) {
            unanswered.incrementAndGet();
        }
    }

    private static String extendedError(Message reply) {
        OPTRecord opt = reply.getOPT();
        if (opt == null) {
            return null;
        }
        List<String> texts = opt.getOptions().stream().filter(ExtendedErrorCodeOption.class::isInstance).map(ExtendedErrorCodeOption.class::cast)
                .map(e -> ExtendedErrorCodeOption.text(e.getErrorCode()) + (e.getText() == null || e.getText().isEmpty() ? "" : ": " + e.getText()))
                .toList();
        return texts.isEmpty() ? null : String.join("; ", texts);
    }

    private static String canonical(String zone) {
        String z = zone.toLowerCase(java.util.Locale.ROOT);
        return z.endsWith(".") ? z.substring(0, z.length() - 1) : z;
    }
}
