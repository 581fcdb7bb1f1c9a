package dev.mxshift.operator;

import dev.mxshift.discovery.inventory.InventoryProblem;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.TenantId;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.csv.CsvMapper;

import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which tenant a provider's zone belongs to where the provider does not say, for {@code inventory-from}: a CSV file
 * with the header {@code zone,tenant}, a row per zone ({@code example.com,tenant-a}), and rows mapping every zone of a
 * provider account ({@code account:023e105f...,tenant-b} or {@code account:Example Hosting,tenant-b}: the account's
 * id or its name, as the provider lists it). Blank lines and lines starting with {@code #} are skipped. Every bad line
 * is a problem naming the file, the line and the field; a file with any is not used.
 */
final class ZoneTenantMapping {

    static final String ACCOUNT_PREFIX = "account:";
    static final ZoneTenantMapping EMPTY = new ZoneTenantMapping(Map.of(), Map.of());

    /** Where a tenant came from, for the output's note on each row: the mapping file's line. */
    record Mapped(TenantId tenant, String source) {
    }

    private final Map<String, Mapped> byZone;
    private final Map<String, Mapped> byAccount;

    private ZoneTenantMapping(Map<String, Mapped> byZone, Map<String, Mapped> byAccount) {
        this.byZone = byZone;
        this.byAccount = byAccount;
    }

    /** The file's mapping, or its problems (every bad line; none when the mapping is good). */
    record Read(ZoneTenantMapping mapping, List<InventoryProblem> problems) {
    }

    static Read read(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return new Read(EMPTY, List.of(new InventoryProblem(file.toString(), 0, "file", "does not exist or cannot be read")));
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            return read(file.toString(), reader);
        } catch (java.io.IOException e) {
            return new Read(EMPTY, List.of(new InventoryProblem(file.toString(), 0, "file", "cannot be read: " + e.getMessage())));
        }
    }

    static Read parse(String name, String text) {
        return read(name, new StringReader(text));
    }

    private static Read read(String name, Reader reader) {
        Map<String, Mapped> byZone = new LinkedHashMap<>();
        Map<String, Mapped> byAccount = new LinkedHashMap<>();
        List<InventoryProblem> problems = new ArrayList<>();
        CsvMapper csv = CsvMapper.builder().build();
        boolean header = false;
        // Line by line, so that every problem names its line exactly; a mapping has no value that spans lines.
        List<String> lines = new java.io.BufferedReader(reader).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            long line = i + 1;
            String text = lines.get(i);
            if (text.isBlank() || text.trim().startsWith("#")) {
                continue;
            }
            String[] values;
            try {
                values = csv.readerForArrayOf(String.class).readValue(text);
            } catch (JacksonException e) {
                problems.add(new InventoryProblem(name, line, "row", "is not valid CSV: " + e.getOriginalMessage()));
                continue;
            }
            if (!header) {
                header = true;
                if (values.length != 2 || !values[0].trim().equalsIgnoreCase("zone") || !values[1].trim().equalsIgnoreCase("tenant")) {
                    problems.add(new InventoryProblem(name, line, "header", "must be zone,tenant (then rows: a zone, or account:ID-OR-NAME, and its tenant)"));
                    return new Read(EMPTY, problems);
                }
                continue;
            }
            if (values.length != 2) {
                problems.add(new InventoryProblem(name, line, "row", "has " + values.length + " values; a row is zone,tenant"));
                continue;
            }
            String key = values[0].trim();
            TenantId tenant;
            try {
                tenant = TenantId.of(values[1].trim());
            } catch (InvalidValueException e) {
                problems.add(new InventoryProblem(name, line, "tenant", e.getMessage()));
                continue;
            }
            Mapped mapped = new Mapped(tenant, name + ":" + line);
            Map<String, Mapped> target;
            String field;
            if (key.regionMatches(true, 0, ACCOUNT_PREFIX, 0, ACCOUNT_PREFIX.length())) {
                key = key.substring(ACCOUNT_PREFIX.length()).trim();
                field = "account";
                target = byAccount;
                if (key.isEmpty()) {
                    problems.add(new InventoryProblem(name, line, field, "is empty: write account:ID or account:NAME as the provider lists it"));
                    continue;
                }
            } else {
                field = "zone";
                target = byZone;
                try {
                    key = zoneKey(key);
                } catch (InvalidValueException e) {
                    problems.add(new InventoryProblem(name, line, field, e.getMessage()));
                    continue;
                }
            }
            Mapped before = target.putIfAbsent(key, mapped);
            if (before != null && !before.tenant().equals(tenant)) {
                problems.add(new InventoryProblem(name, line, field, "'" + key + "' is mapped to " + before.tenant() + " at "
                        + before.source() + " already; one tenant per " + field));
            }
        }
        if (!header) {
            problems.add(new InventoryProblem(name, 0, "file", "is empty; the first line must be zone,tenant"));
        }
        return problems.isEmpty() ? new Read(new ZoneTenantMapping(byZone, byAccount), List.of()) : new Read(EMPTY, problems);
    }

    /** The mapping file's row for the zone itself. */
    Optional<Mapped> forZone(String zone) {
        try {
            return Optional.ofNullable(byZone.get(zoneKey(zone)));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }

    /** The mapping file's row for the account, by its id first, then its name (either may be null). */
    Optional<Mapped> forAccount(String id, String name) {
        return Optional.ofNullable(id == null ? null : byAccount.get(id)).or(() -> Optional.ofNullable(name == null ? null : byAccount.get(name)));
    }

    int size() {
        return byZone.size() + byAccount.size();
    }

    /** A zone as the inventory spells its domains (IDNs as A-labels, lower case, no final dot). */
    static String zoneKey(String zone) {
        return DomainName.of(zone.trim().toLowerCase(Locale.ROOT).replaceAll("\\.$", "")).value();
    }
}
