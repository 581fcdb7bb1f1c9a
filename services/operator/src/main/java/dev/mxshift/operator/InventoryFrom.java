package dev.mxshift.operator;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ListedZone;
import dev.mxshift.discovery.inventory.InventoryProblem;
import dev.mxshift.discovery.inventory.InventoryReader;
import dev.mxshift.discovery.inventory.InventoryRow;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Lists the zones of connectors and writes them as an inventory in the import's format (issue 29): what
 * {@code ./mxshift inventory-from} and the API's {@code POST /inventory-from} run. The rows are read back by the import's
 * own reader before they are handed out, so every row given is one {@code import} accepts; a row it would refuse is left
 * out with the reader's reason.
 */
final class InventoryFrom {

    static final List<String> COLUMNS = List.of("tenant", "domain", "connector", "zone");

    /** A connector whose zones are not in the inventory, and why. */
    record Failure(String connector, String reason) {
        @Override
        public String toString() {
            return connector + ": " + reason;
        }
    }

    /** What came of it: the inventory as CSV, its rows, the zones left out, the connectors that failed, the zones listed. */
    record Outcome(String csv, List<ProviderInventory.Row> rows, List<ProviderInventory.LeftOut> leftOut, List<Failure> failures, int zonesListed) {

        String summary() {
            return "inventory-from: " + zonesListed + " zones listed, " + rows.size() + " in the inventory, " + leftOut.size() + " left out"
                    + (failures.isEmpty() ? "" : ", " + failures.size() + " connector(s) failed: "
                    + String.join(", ", failures.stream().map(Failure::connector).toList()));
        }
    }

    private InventoryFrom() {
    }

    /** Lists every source in turn (a line on {@code progress} as each starts and ends, and every 5 s while one takes long), then decides. */
    static Outcome run(List<SweepSources.Source> sources, ZoneTenantMapping mapping, Consumer<String> progress) {
        List<ProviderInventory.Listing> listings = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        int listed = 0;
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inventory-from-progress");
            t.setDaemon(true);
            return t;
        });
        try {
            for (SweepSources.Source source : sources) {
                long started = System.nanoTime();
                progress.accept("inventory-from: listing the zones of " + source.id() + " ...");
                var tick = ticker.scheduleAtFixedRate(() -> progress.accept("inventory-from: still listing " + source.id() + " ("
                        + (System.nanoTime() - started) / 1_000_000_000L + " s)"), 5, 5, TimeUnit.SECONDS);
                try {
                    List<ListedZone> zones = list(source);
                    listed += zones.size();
                    listings.add(new ProviderInventory.Listing(source.id(), zones));
                    progress.accept("inventory-from: " + source.id() + ": " + zones.size() + " zones in " + (System.nanoTime() - started) / 1_000_000 + " ms");
                } catch (ConnectorException e) {
                    failures.add(new Failure(source.id(), e.kind() + ": " + e.getMessage()));
                    progress.accept("inventory-from: " + source.id() + " FAILED: " + e.getMessage());
                } finally {
                    tick.cancel(false);
                }
            }
        } finally {
            ticker.shutdownNow();
        }
        ProviderInventory.Result decided = ProviderInventory.decide(listings, mapping);
        return importable(decided, failures, listed);
    }

    /**
     * The zones of one source: by its {@code ZoneLister} (with accounts) where it has one, else by {@code listZones()}
     * where it declares zone listing, else the zones its configuration names; the configured zones also restrict a listing.
     */
    private static List<ListedZone> list(SweepSources.Source source) throws ConnectorException {
        var connector = source.connector();
        List<ListedZone> zones;
        if (connector.zoneLister().isPresent()) {
            zones = connector.listedZones();
        } else if (connector.capabilities().zoneListing()) {
            zones = connector.listZones().stream().map(ListedZone::withoutAccount).toList();
        } else if (!source.zones().isEmpty()) {
            return source.zones().stream().map(ListedZone::withoutAccount).toList();
        } else {
            throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, "its connector cannot list zones; name them (\"zones\" in the connectors file)");
        }
        if (source.zones().isEmpty()) {
            return zones;
        }
        Set<String> named = new LinkedHashSet<>();
        source.zones().forEach(z -> named.add(ListedZone.withoutAccount(z).zone()));
        return zones.stream().filter(z -> named.contains(z.zone())).toList();
    }

    /** The rows as the import reads them: written, read back by {@link InventoryReader}, the refused ones left out with its reason. */
    static Outcome importable(ProviderInventory.Result decided, List<Failure> failures, int listed) {
        List<ProviderInventory.LeftOut> leftOut = new ArrayList<>(decided.leftOut());
        try {
            Path file = Files.createTempFile("mxshift-inventory-from-", ".csv");
            try {
                Files.writeString(file, csv(decided.rows()));
                Set<Long> refused = new LinkedHashSet<>();
                new InventoryReader().read(file, new InventoryReader.Sink() {
                    @Override
                    public void accepted(InventoryRow row) {
                    }

                    @Override
                    public void rejected(InventoryProblem problem) {
                        if (problem.line() < 2) {
                            throw new IllegalStateException("the inventory written is refused whole: " + problem);
                        }
                        ProviderInventory.Row row = decided.rows().get((int) problem.line() - 2);
                        refused.add(problem.line());
                        leftOut.add(new ProviderInventory.LeftOut(row.connector(), row.zone(), null, "the import would refuse it: "
                                + problem.field() + ": " + problem.reason()));
                    }
                });
                List<ProviderInventory.Row> rows = new ArrayList<>();
                for (int i = 0; i < decided.rows().size(); i++) {
                    if (!refused.contains((long) i + 2)) {
                        rows.add(decided.rows().get(i));
                    }
                }
                return new Outcome(csv(rows), rows, leftOut, failures, listed);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String csv(List<ProviderInventory.Row> rows) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        COLUMNS.forEach(schema::addColumn);
        List<Map<String, String>> values = rows.stream().map(r -> Map.of("tenant", r.tenant().value(), "domain", r.domain(),
                "connector", r.connector(), "zone", r.zone())).toList();
        return CsvMapper.builder().build().writer(schema.build()).writeValueAsString(values);
    }

    /** The zones left out, as CSV for a file beside the inventory ({@code --unmapped FILE}). */
    static String leftOutCsv(List<ProviderInventory.LeftOut> leftOut) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        List.of("connector", "zone", "account", "reason").forEach(schema::addColumn);
        List<Map<String, String>> values = leftOut.stream().map(l -> Map.of("connector", l.connector(), "zone", l.zone(),
                "account", l.account() == null ? "" : l.account(), "reason", l.reason())).toList();
        return CsvMapper.builder().build().writer(schema.build()).writeValueAsString(values);
    }
}
