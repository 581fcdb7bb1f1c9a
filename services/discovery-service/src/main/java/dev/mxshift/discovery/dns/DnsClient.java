package dev.mxshift.discovery.dns;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Discovery's DNS client: dnsjava's asynchronous {@link SimpleResolver#sendAsync(Message, java.util.concurrent.Executor)}
 * on its own small executor (never the common ForkJoinPool, which dnsjava's completions would otherwise use and
 * starve), over a few long-lived UDP sockets ({@link PooledUdpClient}), at most {@code maxInFlight} queries on the wire, and Resilience4j retries with jittered exponential
 * backoff on timeouts and SERVFAIL, each retry to the next server where there are several.
 * It never blocks a caller's thread.
 */
public final class DnsClient implements AutoCloseable {

    /** No usable answer after every attempt: the query timed out or the network failed. */
    public static final class QueryFailedException extends IOException {
        public QueryFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ResolverSettings settings;
    private final List<SimpleResolver> resolvers = new ArrayList<>();
    private final Map<InetSocketAddress, SimpleResolver> zoneServers = new ConcurrentHashMap<>();
    private final PooledUdpClient udp;
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private final Retry retry;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger permits;
    private final LongAdder sent = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();

    public DnsClient(ResolverSettings settings) {
        this.settings = settings;
        // Sockets on the loopback address only when every query goes to a configured loopback server; a zone's own
        // servers, asked beside a resolver, are wherever its NS set says.
        boolean loopback = !settings.asksZoneServers()
                && settings.servers().stream().allMatch(s -> s.address().getAddress().isLoopbackAddress());
        this.udp = new PooledUdpClient(4, loopback ? InetAddress.getLoopbackAddress() : null);
        for (ResolverSettings.AuthoritativeServer server : settings.servers()) {
            resolvers.add(resolver(server.address()));
        }
        this.executor = Executors.newFixedThreadPool(2, daemon("dns-client"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("dns-retry"));
        this.permits = new AtomicInteger(settings.maxInFlight());
        this.retry = Retry.of("dns", RetryConfig.<DnsAnswer>custom()
                .maxAttempts(settings.attempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.firstBackoff(), 2.0, 0.5))
                .retryOnResult(answer -> answer.rcode() == Rcode.SERVFAIL)
                .retryOnException(e -> unwrap(e) instanceof IOException || unwrap(e) instanceof TimeoutException)
                .build());
        retry.getEventPublisher().onRetry(event -> retried.increment());
    }

    public ResolverSettings settings() {
        return settings;
    }

    /** Asks for {@code name}/{@code type}; completes exceptionally with {@link QueryFailedException} only after every attempt. */
    public CompletionStage<DnsAnswer> query(Name name, int type) {
        CompletionStage<DnsAnswer> answer = withRetries(name, type, attempt -> {
            int index = serverFor(name, type, attempt);
            return send(resolvers.get(index), settings.servers().get(index).label(),
                    settings.mode() == ResolverSettings.Mode.AUTHORITATIVE, name, type, attempt);
        });
        if (settings.mode() != ResolverSettings.Mode.AUTHORITATIVE) {
            return answer;
        }
        // A server that holds no zone for the name refuses it. The registry's server of the enclosing zone then says
        // what a resolver would learn there: the name does not exist (NXDOMAIN), or where it is delegated (a referral).
        return answer.thenCompose(first -> {
            int registry = first.rcode() == Rcode.REFUSED ? registryFor(name) : -1;
            return registry < 0 ? CompletableFuture.completedFuture(first) : withRetries(name, type,
                    attempt -> send(resolvers.get(registry), settings.servers().get(registry).label(), true, name, type, attempt));
        });
    }

    /** The registry server ({@code delegationsOnly}) whose zone is the closest enclosing {@code name}, or -1. */
    private int registryFor(Name name) {
        int best = -1;
        int bestLabels = -1;
        for (int i = 0; i < settings.servers().size(); i++) {
            ResolverSettings.AuthoritativeServer server = settings.servers().get(i);
            for (Name zone : server.delegationsOnly() ? server.zones() : List.<Name>of()) {
                if (name.subdomain(zone) && !name.equals(zone) && zone.labels() > bestLabels) {
                    best = i;
                    bestLabels = zone.labels();
                }
            }
        }
        return best;
    }

    /**
     * Asks one authoritative server of the zone, without recursion, whatever the mode: its answer must carry AA
     * ({@link DnsAnswer#lacksAuthority()}). Retried like {@link #query}, always of that server.
     */
    public CompletionStage<DnsAnswer> queryAuthoritative(InetSocketAddress server, Name name, int type) {
        SimpleResolver resolver = zoneServers.computeIfAbsent(server, this::resolver);
        String label = server.getAddress().getHostAddress() + ":" + server.getPort();
        return withRetries(name, type, attempt -> send(resolver, label, true, name, type, attempt));
    }

    /**
     * Asks one server once, without recursion and without retries: a check of what a named server does with a zone
     * (a lame delegation's servers), bounded by one time-out. Completes exceptionally when nothing came back in time.
     */
    public CompletionStage<DnsAnswer> probeAuthoritative(InetSocketAddress server, Name name, int type) {
        SimpleResolver resolver = zoneServers.computeIfAbsent(server, this::resolver);
        return send(resolver, server.getAddress().getHostAddress() + ":" + server.getPort(), true, name, type, 1);
    }

    private CompletionStage<DnsAnswer> withRetries(Name name, int type, IntFunction<CompletionStage<DnsAnswer>> attempts) {
        AtomicInteger attempt = new AtomicInteger();
        CompletableFuture<DnsAnswer> result = new CompletableFuture<>();
        retry.executeCompletionStage(scheduler, () -> attempts.apply(attempt.incrementAndGet()))
                .whenComplete((answer, failure) -> {
                    if (failure == null) {
                        result.complete(answer);
                    } else {
                        lost.increment();
                        Throwable cause = unwrap(failure);
                        result.completeExceptionally(new QueryFailedException(name + "/" + Type.string(type) + ": no answer after "
                                + attempt.get() + " attempts (" + cause.getClass().getSimpleName()
                                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")", cause));
                    }
                });
        return result;
    }

    /** Queries put on the wire, including retries. */
    public long sent() {
        return sent.sum();
    }

    /** Queries that failed (timeout, SERVFAIL, network) and were sent again. */
    public long retried() {
        return retried.sum();
    }

    /** Queries that failed on every attempt. */
    public long lost() {
        return lost.sum();
    }

    public LatencyHistogram latency() {
        return latency;
    }

    private SimpleResolver resolver(InetSocketAddress address) {
        SimpleResolver resolver = new SimpleResolver(address);
        resolver.setIoClientFactory(udp);
        resolver.setTimeout(settings.timeout());
        resolver.setEDNS(0, 1232, 0, List.of());
        return resolver;
    }

    private CompletionStage<DnsAnswer> send(SimpleResolver resolver, String server, boolean authoritative, Name name,
                                            int type, int attempt) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        if (type == Type.MX) {
            // DNSSEC OK: the MX set's signature comes along, and with it the set's original TTL, which a resolver's
            // cached answer counts down (RFC 4034 section 3.1.4; MailFlowClassifier).
            query.addRecord(new OPTRecord(1232, 0, 0, org.xbill.DNS.ExtendedFlags.DO), org.xbill.DNS.Section.ADDITIONAL);
        }
        if (authoritative) {
            query.getHeader().unsetFlag(Flags.RD);
        } else {
            // Checking disabled: discovery records what is published even when its DNSSEC is broken (RFC 4035 3.2.2).
            query.getHeader().setFlag(Flags.CD);
        }
        CompletableFuture<DnsAnswer> answer = new CompletableFuture<>();
        waiting.add(() -> {
            long started = System.nanoTime();
            sent.increment();
            CompletionStage<Message> reply;
            try {
                reply = resolver.sendAsync(query, executor);
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((message, failure) -> {
                latency.record(System.nanoTime() - started);
                release();
                if (failure != null) {
                    answer.completeExceptionally(unwrap(failure));
                } else {
                    answer.complete(new DnsAnswer(name, type, message.getRcode(), message.getSection(Section.ANSWER),
                            message.getHeader().getFlag(Flags.AA), authoritative, server, attempt, extendedError(message),
                            message.getSection(Section.AUTHORITY)));
                }
            });
        });
        drain();
        return answer;
    }

    private int serverFor(Name name, int type, int attempt) {
        if (settings.mode() != ResolverSettings.Mode.AUTHORITATIVE) {
            return (attempt - 1) % resolvers.size();
        }
        // A DS record lives in the parent zone (RFC 4034 section 5), so it is asked of the parent's server.
        Name lookup = type == Type.DS && name.labels() > 1 ? new Name(name, 1) : name;
        int best = -1;
        int bestLabels = -1;
        for (int i = 0; i < settings.servers().size(); i++) {
            ResolverSettings.AuthoritativeServer server = settings.servers().get(i);
            List<Name> zones = server.zones();
            if (zones.isEmpty() && bestLabels < 0) {
                best = i;
                bestLabels = 0;
            }
            for (Name zone : zones) {
                boolean holds = server.delegationsOnly() ? lookup.equals(zone) : lookup.subdomain(zone);
                if (holds && zone.labels() > bestLabels) {
                    best = i;
                    bestLabels = zone.labels();
                }
            }
        }
        if (best < 0) {
            throw new IllegalStateException("no authoritative server is configured for " + name + " and there is no default server");
        }
        return best;
    }

    private void release() {
        permits.incrementAndGet();
        drain();
    }

    private void drain() {
        while (!waiting.isEmpty()) {
            int available = permits.get();
            if (available <= 0) {
                return;
            }
            if (!permits.compareAndSet(available, available - 1)) {
                continue;
            }
            Runnable next = waiting.poll();
            if (next == null) {
                permits.incrementAndGet();
                continue;
            }
            next.run();
        }
    }

    private static String extendedError(Message message) {
        OPTRecord opt = message.getOPT();
        if (opt == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (EDNSOption option : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
            if (option instanceof ExtendedErrorCodeOption ede) {
                text.append(text.length() == 0 ? "" : "; ").append("EDE ").append(ede.getErrorCode()).append(" ").append(ExtendedErrorCodeOption.text(ede.getErrorCode()))
                        .append(ede.getText() == null || ede.getText().isEmpty() ? "" : " " + ede.getText());
            }
        }
        return text.toString();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        udp.close();
        scheduler.shutdownNow();
        executor.shutdownNow();
    }
}
