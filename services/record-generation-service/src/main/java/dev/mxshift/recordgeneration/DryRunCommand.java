package dev.mxshift.recordgeneration;

import dev.mxshift.model.event.Finding;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.service.DiscoveredLine;
import dev.mxshift.service.ServiceCommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The dry run: for every domain discover printed, the staged plan in Microsoft's order with its checksum and its
 * rollback, or why it is held, and a summary per tenant; as text for people or JSON for scripts. Nothing is written
 * anywhere. Approve what you reviewed by putting its checksums in the file the service reads
 * ({@code mxshift.record-generation.approved-checksums-file}). Exit 0 when every domain has a plan, 1 when one is
 * held, 2 for bad arguments.
 */
@Command(name = "dry-run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show what mxshift would change for each discovered domain, and how it would roll back, without changing anything.",
                "Input: the JSON Lines that discover printed. Each plan has a checksum: list the ones you approve, one per line,",
                "in the file named by mxshift.record-generation.approved-checksums-file, and only those plans will run."},
        footer = {"", "Examples:", "  discover tenants.csv --resolver 10.0.0.53 > discovered.jsonl",
                "  dry-run discovered.jsonl | less", "  dry-run discovered.jsonl --json --out plans.json",
                "  dry-run discovered.jsonl --checksums-only >> approved-checksums.txt   # after reading the report"})
public final class DryRunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DISCOVERED", description = "JSON Lines written by discover")
    List<Path> files;

    @Option(names = "--lowered-ttl", paramLabel = "SECONDS", defaultValue = "300", description = "MX TTL during the move (default ${DEFAULT-VALUE}, at least 30)")
    long loweredTtl;

    @Option(names = "--restored-ttl", paramLabel = "SECONDS", description = "MX TTL at the end (default: each domain's original)")
    Long restoredTtl;

    @Option(names = "--json", description = "print JSON (domains with steps, rollback and checksum; counts per tenant)")
    boolean json;

    @Option(names = "--checksums-only", description = "print only the checksums of the plans, one per line")
    boolean checksumsOnly;

    @Option(names = "--out", paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path out;

    @Option(names = "--enablement-scripts", paramLabel = "DIR",
            description = "write, per tenant, the PowerShell that runs Enable-DnssecForVerifiedDomain for its domains held for want of"
                    + " Microsoft's target, and exports the CSV that 'import' reads back")
    Path enablementScripts;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return ServiceCommandLine.execute(new DryRunCommand(), args);
    }

    @Override
    public Integer call() {
        PlanOptions options = new PlanOptions(loweredTtl, restoredTtl);
        List<DryRunReport.Entry> entries = entries(files, options);
        DryRunReport report = new DryRunReport(entries);
        try (PrintWriter writer = out == null ? new PrintWriter(System.out, false, StandardCharsets.UTF_8)
                : new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            if (checksumsOnly) {
                entries.stream().filter(e -> e.decision() instanceof PlanDecision.Planned)
                        .forEach(e -> writer.println(((PlanDecision.Planned) e.decision()).plan().checksum() + "  # " + e.domain()));
            } else if (json) {
                writer.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(report.json()));
            } else {
                writer.print(report.text());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        if (enablementScripts != null) {
            writeEnablementScripts(entries, enablementScripts);
        }
        long held = entries.stream().filter(e -> e.decision() instanceof PlanDecision.Blocked).count();
        System.err.printf("dry-run: %,d domains, %,d planned, %,d held; nothing was changed%n", entries.size(), entries.size() - held, held);
        return held == 0 ? 0 : 1;
    }

    /** Per tenant, the script for its domains whose only blocker is a missing target; returns the files written. */
    static List<Path> writeEnablementScripts(List<DryRunReport.Entry> entries, Path directory) {
        java.util.Map<dev.mxshift.model.dns.TenantId, List<dev.mxshift.model.dns.DomainName>> byTenant = new java.util.TreeMap<>(
                java.util.Comparator.comparing(dev.mxshift.model.dns.TenantId::value));
        for (DryRunReport.Entry entry : entries) {
            if (entry.decision() instanceof PlanDecision.Blocked blocked
                    && blocked.reasons().stream().anyMatch(r -> r.code().equals("TARGET_UNKNOWN"))) {
                byTenant.computeIfAbsent(entry.tenant(), t -> new ArrayList<>()).add(entry.domain());
            }
        }
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            for (var tenant : byTenant.entrySet()) {
                Path file = directory.resolve("enable-dnssec-" + tenant.getKey().value() + ".ps1");
                Files.writeString(file, DnssecEnablementScript.forTenant(tenant.getKey(), tenant.getValue()), StandardCharsets.UTF_8);
                written.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the enablement scripts in " + directory, e);
        }
        System.err.printf("dry-run: %d enablement script(s) in %s for %d domain(s) without Microsoft's target%n", written.size(), directory,
                byTenant.values().stream().mapToInt(List::size).sum());
        return written;
    }

    /** Every line of discover's output, planned as the service would plan it. */
    public static List<DryRunReport.Entry> entries(List<Path> files, PlanOptions options) {
        EventCodec codec = new EventCodec();
        java.time.Clock clock = java.time.Clock.systemUTC();
        JsonMapper json = JsonMapper.builder().build();
        List<DryRunReport.Entry> entries = new ArrayList<>();
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                long number = 0;
                for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                    number++;
                    if (text.isBlank()) {
                        continue;
                    }
                    DiscoveredLine line;
                    try {
                        line = DiscoveredLine.parse(json.readTree(text), codec, clock);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(file + ":" + number + ": not a line of discover's output: " + e.getMessage(), e);
                    }
                    PlanDecision decision = line.state() == null
                            ? new PlanDecision.Blocked(List.of(new Finding("NOT_DISCOVERED", line.notDiscovered(), "fix what discovery reported, then discover again")))
                            : PlanGenerator.decide(line.state(), options);
                    entries.add(new DryRunReport.Entry(line.tenant(), line.domain(), decision));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return entries;
    }
}
