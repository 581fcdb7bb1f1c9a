package dev.mxshift.discovery;

import dev.mxshift.discovery.dns.DnsClient;
import dev.mxshift.discovery.dns.ResolverSettings;
import dev.mxshift.discovery.inventory.InventoryProblem;
import dev.mxshift.discovery.inventory.InventoryReader;
import dev.mxshift.discovery.inventory.InventoryRow;
import dev.mxshift.discovery.mtasts.MtaStsPolicyFetcher;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.service.ServiceCommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs discovery for inventory files and prints one JSON object per domain, without Kafka: the same
 * {@link DomainDiscoverer} the discovery service calls. Exit 0 when every row was accepted and every domain
 * discovered (whatever its classification), 1 when a row was rejected or a domain's discovery failed, 2 for bad
 * arguments.
 */
@Command(name = "discover", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Look every domain of tenant inventories up in DNS and classify its mail flow.",
                "Prints one JSON object per domain (in the order discovery finishes them): domain, tenant, line, connector, zone, target,",
                "outcome (discovered or failed), classification, reason, failure (RETRYABLE or PERMANENT) and facts",
                "(every record seen, its TTL, which server answered, DNSSEC material present, the MTA-STS policy)."},
        footer = {"", "Resolver: --resolver for a recursive resolver, --authoritative for your own authoritative servers,",
                "--endpoints for the lab's; neither: the system's resolvers (/etc/resolv.conf). Beside a resolver, each domain's",
                "MX is also asked of one of its zone's own servers (a resolver's cached answer counts the TTL down).", "",
                "Examples:",
                "  discover tenants.csv --resolver 10.0.0.53 > discovered.jsonl",
                "  discover tenants.csv --authoritative 192.0.2.1:53 --authoritative 192.0.2.2:53=example.com,example.net",
                "  discover tenants.csv --endpoints infra/lab/run/endpoints.json"})
public final class DiscoverCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "inventory files (CSV with a header, JSON array, JSON Lines); see inventory-check")
    List<Path> files;

    @Option(names = "--resolver", paramLabel = "IP[:PORT]", description = "a recursive resolver (repeatable; retries go to the next one)")
    List<String> resolvers = new ArrayList<>();

    @Option(names = "--authoritative", paramLabel = "IP[:PORT][=ZONE,...]",
            description = "an authoritative server and the zones it serves; one without zones is the default (repeatable)")
    List<String> authoritative = new ArrayList<>();

    @Option(names = "--authoritative-port", paramLabel = "IP=PORT",
            description = "with a resolver: a zone server, asked for the MX beside it, that listens elsewhere than port 53 (repeatable)")
    List<String> authoritativePorts = new ArrayList<>();

    @Option(names = "--endpoints", paramLabel = "FILE", description = "a lab's endpoints.json: its resolver (and its servers' ports), CA and MTA-STS port")
    Path endpoints;

    @Option(names = "--via-authoritative", description = "with --endpoints: ask the lab's authoritative servers, not its resolver")
    boolean viaAuthoritative;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "trust only these CAs for MTA-STS policy fetches (default: the JVM's roots)")
    Path caFile;

    @Option(names = "--mta-sts-port", paramLabel = "PORT", description = "HTTPS port of MTA-STS policy hosts (default 443)")
    Integer mtaStsPort;

    @Option(names = "--queries-in-flight", paramLabel = "N", defaultValue = "256", description = "DNS queries on the wire at once (default ${DEFAULT-VALUE})")
    int queriesInFlight;

    @Option(names = "--domains-in-flight", paramLabel = "N", defaultValue = "512", description = "domains under way at once (default ${DEFAULT-VALUE})")
    int domainsInFlight;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "2000", description = "per-query timeout (default ${DEFAULT-VALUE})")
    long timeoutMillis;

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "4", description = "tries per query on timeout or SERVFAIL (default ${DEFAULT-VALUE})")
    int attempts;

    @Option(names = "--out", paramLabel = "FILE", description = "write the JSON lines to FILE instead of standard output")
    Path out;

    @Option(names = "--progress-every", paramLabel = "DOMAINS", defaultValue = "10000", description = "report progress on standard error every DOMAINS domains (0: never)")
    long progressEvery;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        // The MTA-STS fetches are JSSE handshakes: their signatures and key shares by BouncyCastle (decision 0037).
        dev.mxshift.cryptotuning.CryptoTuning.installJsseHandshakeArithmetic();
        return ServiceCommandLine.execute(new DiscoverCommand(), args);
    }

    /** The summary printed at the end, also what the benchmark reports. */
    public record Summary(long domains, long rejectedRows, long failed, Map<MxClassification, Long> classifications,
                          double seconds, long queries, long retried, long lost, double p99Millis, long peakHeapBytes) {
        public double domainsPerSecond() {
            return domains / Math.max(seconds, 1e-9);
        }

        public double queriesPerSecond() {
            return queries / Math.max(seconds, 1e-9);
        }
    }

    @Override
    public Integer call() {
        DiscoveryEndpoints lab = endpoints == null ? null : DiscoveryEndpoints.read(endpoints);
        Map<String, Integer> ports = new java.util.LinkedHashMap<>(lab == null ? Map.of() : lab.authoritativePorts());
        ports.putAll(ResolverSettings.parsePorts(authoritativePorts));
        ResolverSettings settings = settings().withLimits(Duration.ofMillis(timeoutMillis), attempts, queriesInFlight)
                .withAuthoritativePorts(ports);
        Path ca = caFile != null ? caFile : lab != null ? lab.caFile() : null;
        int port = mtaStsPort != null ? mtaStsPort : lab != null ? lab.mtaStsPort() : 443;
        EventCodec codec = new EventCodec();
        JsonMapper json = JsonMapper.builder().build();
        try (PrintWriter writer = out == null ? new PrintWriter(System.out, false, StandardCharsets.UTF_8)
                : new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8));
             DnsClient dns = new DnsClient(settings);
             MtaStsPolicyFetcher fetcher = new MtaStsPolicyFetcher(MtaStsPolicyFetcher.trusting(ca), port, Duration.ofSeconds(5), 8)) {
            Summary summary = discover(files, dns, fetcher, domainsInFlight, progressEvery, (row, report) -> {
                ObjectNode line = json.createObjectNode();
                line.put("domain", report.domain().value());
                if (!report.domain().unicode().equals(report.domain().value())) {
                    line.put("unicode", report.domain().unicode());
                }
                line.put("tenant", row.tenant().value());
                line.put("line", row.line());
                line.put("connector", row.provider().connectorId());
                line.put("zone", row.provider().zone().value());
                line.put("target", row.targetHost() == null ? null : row.targetHost().value());
                line.put("outcome", report.snapshot() != null ? "discovered" : "failed");
                line.put("classification", report.classification() == null ? null : report.classification().name());
                line.put("reason", report.reason());
                line.put("failure", report.failure() == null ? null : report.failure().name());
                line.set("facts", report.snapshot() == null ? null : codec.toTree(report.snapshot()));
                writer.println(json.writeValueAsString(line));
            });
            writer.flush();
            System.err.printf("discover: %,d domains in %.1f s (%,.0f domains/s); %,d queries (%,.0f/s), %,d retried, %,d lost;"
                            + " p99 query latency %.1f ms; peak heap %d MB; %s%s%n", summary.domains(), summary.seconds(), summary.domainsPerSecond(),
                    summary.queries(), summary.queriesPerSecond(), summary.retried(), summary.lost(), summary.p99Millis(),
                    summary.peakHeapBytes() >> 20,
                    summary.classifications(), summary.failed() + summary.rejectedRows() == 0 ? ""
                            : "; " + summary.failed() + " failed, " + summary.rejectedRows() + " rows rejected");
            return summary.failed() + summary.rejectedRows() == 0 ? 0 : 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    /** Reads the inventories and discovers every accepted row; rejected rows go to standard error as FILE:LINE: FIELD: REASON. */
    public static Summary discover(List<Path> files, DnsClient dns, MtaStsPolicyFetcher fetcher, int domainsInFlight,
                                   long progressEvery, java.util.function.BiConsumer<InventoryRow, DiscoveryReport> each) {
        long started = System.nanoTime();
        Map<MxClassification, Long> classes = new EnumMap<>(MxClassification.class);
        AtomicLong failed = new AtomicLong();
        long[] rejected = new long[1];
        DiscoveryRun run = new DiscoveryRun(new DomainDiscoverer(dns, fetcher), domainsInFlight, (row, report) -> {
            if (report.classification() != null) {
                classes.merge(report.classification(), 1L, Long::sum);
            }
            if (report.failure() != null) {
                failed.incrementAndGet();
            }
            each.accept(row, report);
        });
        AtomicLong reported = new AtomicLong();
        InventoryReader reader = new InventoryReader();
        for (Path file : files) {
            reader.read(file, new InventoryReader.Sink() {
                @Override
                public void accepted(InventoryRow row) {
                    run.feed(row);
                    long done = run.done();
                    if (progressEvery > 0 && done / progressEvery > reported.get()) {
                        reported.set(done / progressEvery);
                        System.err.printf("discover: %,d domains done in %.1f s%n", done, (System.nanoTime() - started) / 1e9);
                    }
                }

                @Override
                public void rejected(InventoryProblem problem) {
                    rejected[0]++;
                    System.err.println(problem);
                }
            });
        }
        run.finish();
        double seconds = (System.nanoTime() - started) / 1e9;
        synchronized (classes) {
            return new Summary(run.done(), rejected[0], failed.get(), new EnumMap<>(classes), seconds, dns.sent(),
                    dns.retried(), dns.lost(), dns.latency().percentileMillis(0.99), peakHeap());
        }
    }

    /** The most heap in use at once since the JVM started: the sum of the heap pools' peaks (an upper bound). */
    static long peakHeap() {
        return java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    private ResolverSettings settings() {
        if (!resolvers.isEmpty() && !authoritative.isEmpty()) {
            throw new IllegalArgumentException("give --resolver or --authoritative, not both");
        }
        if (!resolvers.isEmpty()) {
            return ResolverSettings.recursive(resolvers.stream().map(ResolverSettings::parseAddress).toList());
        }
        if (!authoritative.isEmpty()) {
            return ResolverSettings.authoritative(authoritative.stream().map(ResolverSettings::parseServer).toList());
        }
        if (endpoints != null) {
            DiscoveryEndpoints lab = DiscoveryEndpoints.read(endpoints);
            return viaAuthoritative ? ResolverSettings.authoritative(lab.authoritative())
                    : ResolverSettings.recursive(List.<InetSocketAddress>of(lab.resolver()));
        }
        return ResolverSettings.system();
    }
}
