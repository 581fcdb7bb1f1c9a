package dev.mxshift.validation;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.event.PreflightPassed;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.service.DiscoveredLine;
import dev.mxshift.service.ServiceCommandLine;
import dev.mxshift.cryptotuning.CryptoTuning;
import dev.mxshift.cryptotuning.SignatureVerifications;
import dev.mxshift.validation.dane.DaneCheck;
import dev.mxshift.validation.dane.SmtpStartTls;
import dev.mxshift.validation.dnssec.CommonPool;
import dev.mxshift.validation.preflight.PreflightEvidence;
import dev.mxshift.validation.preflight.PreflightGate;
import dev.mxshift.validation.preflight.PreflightPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the preflight gates for domains as the validation service would, without Kafka, and prints one JSON verdict
 * per domain. Input: what {@code discover} printed (JSON Lines), or {@code --domain} with {@code --target} for one
 * domain's planned target. Exit 0 when every domain passes, 1 when one is blocked or was not discovered, 2 for bad
 * arguments.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check domains before their move: the zone's DNSSEC (mxshift's own validation), the target host's SMTP DANE",
                "(TLSA against the certificate its server presents), the legacy MX shape and MTA-STS coverage.",
                "Prints one JSON object per domain: domain, verdict (passed, blocked, not-discovered), reasons and warnings",
                "(code, message, action), zone (status, code, reason) and target (host, verdict, detail, probed, tlsa, warning)."},
        footer = {"", "Examples:",
                "  discover tenants.csv --resolver 10.0.0.53 > discovered.jsonl",
                "  validate discovered.jsonl --resolver 10.0.0.53 --trust-anchor /usr/share/dns/root.ds > verdicts.jsonl",
                "  validate --domain contoso.com --target contoso-com.o-v1.mx.microsoft --endpoints infra/lab/run/endpoints.json"})
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "DISCOVERED", description = "JSON Lines written by discover")
    List<Path> discovered = new ArrayList<>();

    @Option(names = "--domain", paramLabel = "DOMAIN", description = "check one domain's zone (with --target: and its planned target)")
    String domain;

    @Option(names = "--target", paramLabel = "HOST", description = "with --domain: Microsoft's new MX host (DnssecMxValue)")
    String target;

    @Option(names = "--endpoints", paramLabel = "FILE", description = "a lab's endpoints.json: its resolver, trust anchor and server ports")
    Path endpoints;

    @Option(names = "--resolver", paramLabel = "IP:PORT", description = "the recursive resolver mxshift's validator asks")
    String resolver;

    @Option(names = "--trust-anchor", paramLabel = "FILE", description = "DS or DNSKEY lines of the root (default /usr/share/dns/root.ds)")
    Path trustAnchor;

    @Option(names = "--unsigned-zone", paramLabel = "POLICY", defaultValue = "block",
            description = "a domain whose zone is not DNSSEC-secure, where its line does not say: sign, migrate-insecure (passes, reported as"
                    + " not DANE-protected) or block (default: ${DEFAULT-VALUE})")
    String unsignedZone;

    @Option(names = "--allow-insecure-zone", hidden = true, description = "the former name of --unsigned-zone migrate-insecure")
    boolean allowInsecure;

    @Option(names = "--plan-updates-mta-sts", description = "an MTA-STS policy that does not cover the target warns instead of blocking")
    boolean planUpdatesMtaSts;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "16", description = "domains checked at once (default ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--out", paramLabel = "FILE", description = "write the JSON lines to FILE instead of standard output")
    Path out;

    public static void main(String[] args) {
        CommonPool.atLeastTwoThreads();
        // dnsjava logs each bogus signature with a stack trace; the verdicts carry the reason instead.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.xbill.DNS.dnssec"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        System.exit(run(args));
    }

    static int run(String... args) {
        CryptoTuning.installDnssecSignatureVerification();
        return ServiceCommandLine.execute(new ValidateCommand(), args);
    }

    /** One domain to check: its state as the workflow would have it after discovery (null when discovery failed). */
    record Work(DomainName domain, MigrationState state, String notDiscovered) {
    }

    /** What a run did, for the summary and the benchmark. */
    public record Summary(long domains, long passed, long blocked, long notDiscovered, double seconds, long signatureVerifications,
                          long signaturesRemembered, double verifyingCpuSeconds, double processCpuSeconds) {
    }

    @Override
    public Integer call() {
        if (discovered.isEmpty() == (domain == null)) {
            throw new IllegalArgumentException("give discover's output files, or --domain (with --target), not both or neither");
        }
        PreflightPolicy policy = PreflightPolicy.of(allowInsecure ? dev.mxshift.model.event.UnsignedZonePolicy.MIGRATE_INSECURE
                : dev.mxshift.model.event.UnsignedZonePolicy.parse(unsignedZone), planUpdatesMtaSts);
        ValidationSettings settings = settings(policy);
        Validation validation = settings.build(Clock.systemUTC());
        JsonMapper json = JsonMapper.builder().build();
        try (PrintWriter writer = out == null ? new PrintWriter(System.out, false, StandardCharsets.UTF_8)
                : new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            Summary summary;
            if (domain != null) {
                DomainName name = DomainName.of(domain);
                summary = check(List.of(new Work(name, null, null)).iterator(), validation, policy, 1,
                        line -> writer.println(json.writeValueAsString(line)), target == null ? null : DomainName.of(target));
            } else {
                summary = checkFiles(discovered, validation, policy, parallel, line -> writer.println(json.writeValueAsString(line)));
            }
            writer.flush();
            System.err.printf("validate: %,d domains in %.1f s (%,.0f domains/s): %,d passed, %,d blocked, %,d not discovered;"
                            + " %,d signature verifications by %s; %,d repeated ones answered from memory;"
                            + " STARTTLS handshakes in %s; %.1f CPU-s in this JVM, %.1f of them verifying signatures%n", summary.domains(),
                    summary.seconds(), summary.domains() / Math.max(summary.seconds(), 1e-9), summary.passed(), summary.blocked(),
                    summary.notDiscovered(), summary.signatureVerifications(), providerName(), summary.signaturesRemembered(),
                    SmtpStartTls.tlsStack(), summary.processCpuSeconds(), summary.verifyingCpuSeconds());
            return summary.blocked() + summary.notDiscovered() == 0 ? 0 : 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    private static String providerName() {
        try {
            return SignatureVerifications.providerOfAlgorithm13();
        } catch (java.security.NoSuchAlgorithmException e) {
            return "no ECDSA provider";
        }
    }

    private ValidationSettings settings(PreflightPolicy policy) {
        if (endpoints != null) {
            return ValidationSettings.fromLab(endpoints, policy);
        }
        if (resolver == null) {
            throw new IllegalArgumentException("give --resolver IP:PORT (or a lab's --endpoints)");
        }
        InetSocketAddress address = ValidationConfiguration.address(resolver);
        return new ValidationSettings(address, trustAnchor != null ? trustAnchor : Path.of("/usr/share/dns/root.ds"), 25,
                java.util.Map.of(), policy);
    }

    /** Reads discover's JSON Lines and checks every domain; a line that is not discover's output stops with FILE:LINE. */
    public static Summary checkFiles(List<Path> files, Validation validation, PreflightPolicy policy, int parallel,
                                     java.util.function.Consumer<ObjectNode> each) {
        EventCodec codec = new EventCodec();
        Clock clock = Clock.systemUTC();
        JsonMapper json = JsonMapper.builder().build();
        List<Work> work = new ArrayList<>();
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                long number = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        work.add(work(json.readTree(line), codec, clock));
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(file + ":" + number + ": not a line of discover's output: " + e.getMessage(), e);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return check(work.iterator(), validation, policy, parallel, each, null);
    }

    static Work work(JsonNode line, EventCodec codec, Clock clock) {
        DiscoveredLine parsed = DiscoveredLine.parse(line, codec, clock);
        return new Work(parsed.domain(), parsed.state(), parsed.notDiscovered());
    }

    private static Summary check(java.util.Iterator<Work> work, Validation validation, PreflightPolicy policy, int parallel,
                                 java.util.function.Consumer<ObjectNode> each, DomainName singleTarget) {
        long started = System.nanoTime();
        long signaturesBefore = SignatureVerifications.computed();
        long rememberedBefore = SignatureVerifications.remembered();
        long verifyingBefore = SignatureVerifications.verifyingCpuNanos();
        long processBefore = processCpuNanos();
        AtomicLong passed = new AtomicLong();
        AtomicLong blocked = new AtomicLong();
        AtomicLong notDiscovered = new AtomicLong();
        AtomicLong domains = new AtomicLong();
        JsonMapper json = JsonMapper.builder().build();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        Semaphore room = new Semaphore(Math.max(1, parallel) * 2);
        List<Future<?>> pending = new ArrayList<>();
        try {
            while (work.hasNext()) {
                Work item = work.next();
                room.acquireUninterruptibly();
                pending.add(pool.submit(() -> {
                    try {
                        ObjectNode line = verdict(item, validation, policy, json, singleTarget);
                        switch (line.path("verdict").asString()) {
                            case "passed" -> passed.incrementAndGet();
                            case "blocked" -> blocked.incrementAndGet();
                            default -> notDiscovered.incrementAndGet();
                        }
                        domains.incrementAndGet();
                        synchronized (each) {
                            each.accept(line);
                        }
                    } finally {
                        room.release();
                    }
                }));
                pending.removeIf(Future::isDone);
            }
            for (Future<?> future : pending) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("validation broke: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Summary(domains.get(), passed.get(), blocked.get(), notDiscovered.get(), (System.nanoTime() - started) / 1e9,
                SignatureVerifications.computed() - signaturesBefore, SignatureVerifications.remembered() - rememberedBefore,
                (SignatureVerifications.verifyingCpuNanos() - verifyingBefore) / 1e9, (processCpuNanos() - processBefore) / 1e9);
    }

    /** The whole JVM's CPU time (every thread: the JIT's and the collector's too), or 0 where the JDK does not say. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    private static ObjectNode verdict(Work item, Validation validation, PreflightPolicy policy, JsonMapper json, DomainName singleTarget) {
        ObjectNode line = json.createObjectNode();
        line.put("domain", item.domain().value());
        if (item.notDiscovered() != null) {
            line.put("verdict", "not-discovered");
            line.put("reason", item.notDiscovered());
            return line;
        }
        try {
            DomainName targetHost = item.state() != null ? item.state().targetHost() : singleTarget;
            PreflightEvidence evidence = validation.evidence(item.domain(), targetHost);
            ObjectNode zone = line.putObject("zone");
            zone.put("status", evidence.zone().status().name());
            zone.put("code", evidence.zone().code().name());
            zone.put("reason", evidence.zone().reason());
            if (evidence.target() != null) {
                DaneCheck.Report report = evidence.target();
                ObjectNode t = line.putObject("target");
                t.put("host", report.host().value());
                t.put("verdict", report.verdict().getClass().getSimpleName());
                t.put("detail", report.verdict().toString());
                t.put("probed", report.probed());
                ArrayNode tlsa = t.putArray("tlsa");
                report.tlsa().forEach(r -> tlsa.add(r.rdata()));
                t.put("warning", report.warning());
            }
            if (item.state() == null) {
                boolean ok = evidence.zone().secure() && (evidence.target() == null
                        || evidence.target().verdict() instanceof dev.mxshift.validation.dane.DaneVerdict.Validated);
                line.put("verdict", ok ? "passed" : "blocked");
                return line;
            }
            MigrationEvent decision = PreflightGate.decide(item.state(), evidence, policy);
            List<Finding> reasons = decision instanceof PreflightBlocked b ? b.reasons() : List.of();
            List<Finding> warnings = decision instanceof PreflightPassed p ? p.warnings() : List.of();
            line.put("verdict", decision instanceof PreflightPassed ? "passed" : "blocked");
            findings(line.putArray("reasons"), reasons);
            findings(line.putArray("warnings"), warnings);
        } catch (IOException e) {
            line.put("verdict", "blocked");
            findings(line.putArray("reasons"), List.of(new Finding("LOOKUP_FAILED", "the checks could not run: " + e.getMessage(), "retry")));
        }
        return line;
    }

    private static void findings(ArrayNode array, List<Finding> findings) {
        for (Finding finding : findings) {
            ObjectNode node = array.addObject();
            node.put("code", finding.code());
            node.put("message", finding.message());
            node.put("action", finding.action());
        }
    }
}
