package dev.mxshift.discovery.inventory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Reads inventory files exactly as the import does and reports every problem, before anything is imported.
 * Exit 0 when every row of every file is good, 1 when any row or file was rejected, 2 for bad arguments.
 */
@Command(name = "inventory-check", mixinStandardHelpOptions = true,
        description = "Check tenant inventory files (CSV with a header, JSON array, or JSON Lines) the way mxshift imports them.",
        footer = {"", "Columns: tenant, domain, connector, zone; optional dnssec_mx_value (DnssecMxValue), wave, tags (a;b).",
                "Every good row would be accepted and every bad one is listed as FILE:LINE: FIELD: REASON.", "",
                "Examples:", "  inventory-check tenants.csv more-tenants.jsonl --rejects rejects.txt", "  inventory-check tenants.csv --json"})
public final class InventoryCheckCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "inventory files; duplicates are checked across all of them")
    List<Path> files;

    @Option(names = "--rejects", paramLabel = "FILE", description = "write the problems to FILE instead of standard output")
    Path rejects;

    @Option(names = "--json", description = "print one JSON object at the end: counts and every problem (file, line, field, reason)")
    boolean json;

    @Option(names = "--progress-every", paramLabel = "ROWS", defaultValue = "100000", description = "report progress every ROWS rows (default 100000; 0: never)")
    long progressEvery;

    public static void main(String[] args) {
        System.exit(new CommandLine(new InventoryCheckCommand()).execute(args));
    }

    @Override
    public Integer call() {
        long started = System.nanoTime();
        long[] counts = new long[2];
        java.util.List<java.util.Map<String, Object>> problems = new java.util.ArrayList<>();
        try (PrintWriter out = rejects == null ? new PrintWriter(System.out, false, StandardCharsets.UTF_8)
                : new PrintWriter(Files.newBufferedWriter(rejects, StandardCharsets.UTF_8))) {
            InventoryReader reader = new InventoryReader();
            boolean failed = false;
            for (Path file : files) {
                InventoryReader.Summary summary = reader.read(file, new InventoryReader.Sink() {
                    @Override
                    public void accepted(InventoryRow row) {
                        progress(++counts[0] + counts[1]);
                    }

                    @Override
                    public void rejected(InventoryProblem problem) {
                        if (json) {
                            java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
                            p.put("file", problem.file());
                            p.put("line", problem.line());
                            p.put("field", problem.field());
                            p.put("reason", problem.reason());
                            problems.add(p);
                        }
                        if (!json || rejects != null) {
                            out.println(problem);
                        }
                    }

                    private void progress(long rows) {
                        if (progressEvery > 0 && rows % progressEvery == 0) {
                            System.err.printf("inventory-check: %,d rows read (%,d accepted) in %.1f s%n", rows, counts[0],
                                    (System.nanoTime() - started) / 1e9);
                        }
                    }
                });
                counts[1] += summary.rejected();
                failed |= summary.fileRejected() || summary.rejected() > 0;
            }
            if (json) {
                java.util.Map<String, Object> result = new java.util.LinkedHashMap<>();
                result.put("accepted", counts[0]);
                result.put("rejected", counts[1]);
                result.put("fileRejected", failed && counts[1] == 0);
                result.put("problems", problems);
                PrintWriter stdout = rejects == null ? out : new PrintWriter(System.out, false, StandardCharsets.UTF_8);
                stdout.println(tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(result));
                stdout.flush();
            }
            out.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.err.printf("inventory-check: %,d rows accepted, %,d rejected%s in %.1f s (%,.0f rows/s)%n", counts[0], counts[1],
                    failed && counts[1] == 0 ? ", a file was rejected" : "", seconds, (counts[0] + counts[1]) / Math.max(seconds, 1e-9));
            return failed ? 1 : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + rejects, e);
        }
    }
}
