package dev.mxshift.operator.bench;

import dev.mxshift.discovery.DiscoveryEndpoints;
import dev.mxshift.discovery.DiscoveryReport;
import dev.mxshift.discovery.DomainDiscoverer;
import dev.mxshift.discovery.dns.DnsClient;
import dev.mxshift.discovery.dns.ResolverSettings;
import dev.mxshift.discovery.inventory.InventoryProblem;
import dev.mxshift.discovery.inventory.InventoryReader;
import dev.mxshift.discovery.inventory.InventoryRow;
import dev.mxshift.discovery.inventory.MigrationRequests;
import dev.mxshift.discovery.mtasts.MtaStsPolicyFetcher;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.recordgeneration.PlanOptions;
import dev.mxshift.recordgeneration.RecordGenerationHandler;
import dev.mxshift.validation.Validation;
import dev.mxshift.validation.ValidationSettings;
import dev.mxshift.validation.preflight.PreflightPolicy;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * For bench/dry-run: the reference the issue names, "the same decision functions composed in one process without
 * Kafka". Every inventory row becomes its "migration requested" event, then the discovery service's decision
 * ({@link DomainDiscoverer} and {@link DiscoveryReport#event}), the validation service's preflight
 * ({@link Validation#preflight}) and the record-generation service's decision ({@link RecordGenerationHandler#decision},
 * with no plan approved, as the services run in the dry run), each folded with {@link Workflow#emit} exactly as the
 * services fold them, the next action chosen by {@link Workflow#next}; nothing is encoded or sent anywhere. Configured
 * as the services are in the lab ({@code LabServiceConfig}): discovery and validation through the lab's resolver.
 * Args: ENDPOINTS INVENTORY IN_FLIGHT. Prints one line of figures.
 */
public final class ComposedDryRun {

    public static void main(String[] args) throws Exception {
        dev.mxshift.validation.dnssec.CommonPool.atLeastTwoThreads();
        // What the validation and discovery services' programs install (decision 0037).
        dev.mxshift.cryptotuning.CryptoTuning.installDnssecSignatureVerification();
        dev.mxshift.cryptotuning.CryptoTuning.installJsseHandshakeArithmetic();
        Path endpoints = Path.of(args[0]);
        Path inventory = Path.of(args[1]);
        int inFlight = Integer.parseInt(args[2]);

        List<InventoryRow> rows = new ArrayList<>();
        InventoryReader.Summary read = new InventoryReader().read(inventory, new InventoryReader.Sink() {
            @Override
            public void accepted(InventoryRow row) {
                rows.add(row);
            }

            @Override
            public void rejected(InventoryProblem problem) {
                System.err.println(problem);
            }
        });
        if (read.fileRejected()) {
            throw new IllegalArgumentException(inventory + " could not be read");
        }

        DiscoveryEndpoints lab = DiscoveryEndpoints.read(endpoints);
        ResolverSettings resolver = ResolverSettings.recursive(List.of(lab.resolver()))
                .withLimits(Duration.ofSeconds(2), 4, 256).withAuthoritativePorts(lab.authoritativePorts());
        Validation validation = ValidationSettings.fromLab(endpoints, PreflightPolicy.STRICT).build(Clock.systemUTC());
        PlanOptions nothingApproved = PlanOptions.defaults().reviewed(Set.of());
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        long[] latencies = new long[rows.size()];
        AtomicLong peakHeap = new AtomicLong();
        LongAdder done = new LongAdder();

        try (DnsClient dns = new DnsClient(resolver);
             MtaStsPolicyFetcher fetcher = new MtaStsPolicyFetcher(MtaStsPolicyFetcher.trusting(lab.caFile()), lab.mtaStsPort(),
                     Duration.ofSeconds(10), 8)) {
            DomainDiscoverer discoverer = new DomainDiscoverer(dns, fetcher);
            ExecutorService pool = Executors.newFixedThreadPool(inFlight);
            var heapSampler = Executors.newSingleThreadScheduledExecutor();
            heapSampler.scheduleAtFixedRate(() -> peakHeap.accumulateAndGet(
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max), 0, 100, TimeUnit.MILLISECONDS);
            long started = System.nanoTime();
            for (int i = 0; i < rows.size(); i++) {
                int index = i;
                InventoryRow row = rows.get(i);
                pool.execute(() -> {
                    long t0 = System.nanoTime();
                    String last;
                    try {
                        last = migrateUntilSettled(row, discoverer, validation, nothingApproved);
                    } catch (Exception e) {
                        last = "broken: " + e.getClass().getSimpleName();
                    }
                    latencies[index] = System.nanoTime() - t0;
                    outcomes.computeIfAbsent(last, k -> new LongAdder()).increment();
                    done.increment();
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                System.err.printf("composed dry run: %,d of %,d domains%n", done.sum(), rows.size());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            heapSampler.shutdownNow();
            java.util.Arrays.sort(latencies);
            System.out.printf("composed: domains=%d span_s=%.1f domains_per_s=%.1f p50_ms=%.1f p99_ms=%.1f peak_heap_mb=%d in_flight=%d outcomes=%s%n",
                    rows.size(), seconds, rows.size() / seconds, latencies[latencies.length / 2] / 1e6,
                    latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] / 1e6,
                    peakHeap.get() >> 20, inFlight, new TreeMap<>(Map.copyOf(outcomes)).toString());
        }
    }

    /** One domain from "requested" until the dry run leaves it: the type of its last event. */
    private static String migrateUntilSettled(InventoryRow row, DomainDiscoverer discoverer, Validation validation, PlanOptions options)
            throws Exception {
        EventEnvelope event = MigrationRequests.of(row, "bench", java.time.Instant.now());
        while (true) {
            NextAction next = Workflow.next(event.state());
            MigrationEvent result;
            if (next instanceof NextAction.Discover) {
                result = discoverer.discover(event.domain()).toCompletableFuture().get(60, TimeUnit.SECONDS).event();
            } else if (next instanceof NextAction.RunPreflight) {
                result = validation.preflight(event.state());
            } else if (next instanceof NextAction.GeneratePlan) {
                result = RecordGenerationHandler.decision(event.state(), options);
            } else {
                return event.type();
            }
            event = Workflow.emit(event.state(), event.tenant(), result, UUID.randomUUID(), event.eventId(), Clock.systemUTC().instant(),
                    EventCodec.CURRENT_SCHEMA_VERSION);
        }
    }
}
