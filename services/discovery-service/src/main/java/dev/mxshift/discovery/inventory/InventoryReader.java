package dev.mxshift.discovery.inventory;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.MxHostKind;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads tenant inventories (CSV with a header row, a JSON array of objects, or JSON Lines) one row at a time, so
 * a file of any size is read in bounded memory. Every row is validated; each good row goes to
 * {@link Sink#accepted}, each bad one to {@link Sink#rejected} with file, line, field and reason, and the rest of
 * the file is still read: <b>every good row is accepted and every bad one is listed</b>. A domain seen before (also
 * in another spelling of the same IDN, also in an earlier file read by this reader) is a bad row naming the line
 * it first appeared on. A file whose columns cannot be understood is rejected whole, before any row.
 *
 * <p>Fields: {@code tenant}, {@code domain}, {@code connector} and {@code zone} (where the zone is hosted), optional
 * {@code dnssec_mx_value} (also {@code DnssecMxValue}: Microsoft's mx.microsoft host), {@code wave}, {@code tags} and {@code unsigned_zone} (sign, migrate-insecure or block)
 * (separated by {@code ;} in CSV, a list in JSON).
 */
public final class InventoryReader {

    public interface Sink {
        void accepted(InventoryRow row);

        void rejected(InventoryProblem problem);
    }

    public record Summary(long accepted, long rejected, boolean fileRejected) {
    }

    static final List<String> REQUIRED = List.of("tenant", "domain", "connector", "zone");
    static final List<String> OPTIONAL = List.of("dnssec_mx_value", "wave", "tags", "unsigned_zone");
    private static final Pattern WAVE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:=-]{0,63}");

    private final DomainIndex seen = new DomainIndex();
    private final CsvMapper csv = CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY).build();
    private final JsonMapper json = JsonMapper.builder().build();

    public Summary read(Path file, Sink sink) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            sink.rejected(new InventoryProblem(name, 0, "file", "does not exist or is not a file"));
            return new Summary(0, 0, true);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        boolean isCsv = lower.endsWith(".csv");
        if (!isCsv && !lower.endsWith(".json") && !lower.endsWith(".jsonl") && !lower.endsWith(".ndjson")) {
            sink.rejected(new InventoryProblem(name, 0, "file", "has no known format: name it .csv, .json or .jsonl"));
            return new Summary(0, 0, true);
        }
        try {
            return isCsv ? readCsv(file, name, sink) : readJson(file, name, sink);
        } catch (tools.jackson.core.exc.JacksonIOException e) {
            throw new UncheckedIOException("could not read " + name, e.getCause());
        } catch (JacksonException e) {
            // Failures before the first row (opening, the header); rows report their own, and keep what came before.
            sink.rejected(new InventoryProblem(name, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "file",
                    "is not valid " + (isCsv ? "CSV" : "JSON") + ": " + e.getOriginalMessage()));
            return new Summary(0, 0, true);
        }
    }

    /** How one format turns a parsed value into fields (null: skip the value, as an empty CSV line is skipped). */
    private interface RowFields<T> {
        Map<String, String> of(T value, long line, List<InventoryProblem> problems);
    }

    private Summary readCsv(Path file, String name, Sink sink) {
        try (MappingIterator<String[]> rows = csv.readerForArrayOf(String.class).readValues(file.toFile())) {
            if (!rows.hasNextValue()) {
                sink.rejected(new InventoryProblem(name, 0, "file", "is empty; the first line must name the columns: "
                        + String.join(",", REQUIRED)));
                return new Summary(0, 0, true);
            }
            List<String> columns = new ArrayList<>();
            for (String column : rows.nextValue()) {
                columns.add(canonicalColumn(column));
            }
            String headerProblem = checkColumns(columns);
            if (headerProblem != null) {
                sink.rejected(new InventoryProblem(name, 1, "header", headerProblem));
                return new Summary(0, 0, true);
            }
            return readRows(rows, name, "CSV", true, (values, line, problems) -> {
                if (values.length == 1 && values[0].isEmpty()) {
                    return null; // an empty line; a row of only spaces or quotes is answered like any other
                }
                Map<String, String> fields = new LinkedHashMap<>();
                if (values.length != columns.size()) {
                    problems.add(new InventoryProblem(name, line, "row", "has " + values.length + " values; the header names "
                            + columns.size() + " columns"));
                } else {
                    for (int i = 0; i < values.length; i++) {
                        fields.put(columns.get(i), values[i].trim());
                    }
                }
                return fields;
            }, sink);
        }
    }

    private Summary readJson(Path file, String name, Sink sink) {
        try (MappingIterator<JsonNode> rows = json.readerFor(JsonNode.class).readValues(file.toFile())) {
            return readRows(rows, name, "JSON", false, (node, line, problems) -> {
                Map<String, String> fields = new LinkedHashMap<>();
                if (!node.isObject()) {
                    problems.add(new InventoryProblem(name, line, "row", "must be a JSON object with the fields " + String.join(", ", REQUIRED)));
                    return fields;
                }
                for (var field : node.properties()) {
                    String column = canonicalColumn(field.getKey());
                    JsonNode value = field.getValue();
                    if (!REQUIRED.contains(column) && !OPTIONAL.contains(column)) {
                        problems.add(new InventoryProblem(name, line, field.getKey(), "is not a known field; known: "
                                + String.join(", ", REQUIRED) + ", " + String.join(", ", OPTIONAL)));
                    } else if (column.equals("tags") && value.isArray()) {
                        List<String> tags = new ArrayList<>();
                        value.forEach(t -> tags.add(t.isString() ? t.asString() : "\u0000" + t));
                        fields.put(column, String.join(";", tags));
                    } else if (value.isString()) {
                        fields.put(column, value.asString().trim());
                    } else if (!value.isNull()) {
                        problems.add(new InventoryProblem(name, line, field.getKey(), "must be a string"));
                    }
                }
                return fields;
            }, sink);
        }
    }

    /**
     * The loop both formats share: one value at a time, each answered once; a file that breaks off keeps what was
     * read before it. {@code lineAfterRead}: CSV knows a row's line once it has read it (the parser then stands at
     * the next line's start, or still on the last line at the end of a file without a final newline); JSON knows it
     * from the value's first token.
     */
    private <T> Summary readRows(MappingIterator<T> rows, String name, String format, boolean lineAfterRead,
                                 RowFields<T> rowFields, Sink sink) {
        long accepted = 0;
        long rejected = 0;
        while (true) {
            T value;
            long line;
            try {
                if (!rows.hasNextValue()) {
                    break;
                }
                long before = rows.parser().currentTokenLocation().getLineNr();
                value = rows.nextValue();
                var after = rows.currentLocation();
                line = !lineAfterRead ? before : after.getColumnNr() > 1 ? after.getLineNr() : after.getLineNr() - 1;
            } catch (JacksonException e) {
                sink.rejected(new InventoryProblem(name, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "file",
                        "is not valid " + format + " from here on (" + e.getOriginalMessage() + "); the rows before were read"));
                return new Summary(accepted, rejected, true);
            }
            List<InventoryProblem> problems = new ArrayList<>();
            Map<String, String> fields = rowFields.of(value, line, problems);
            if (fields == null) {
                continue;
            }
            if (accept(name, line, fields, problems, sink)) {
                accepted++;
            } else {
                rejected++;
            }
        }
        return new Summary(accepted, rejected, false);
    }

    /** Validates one row's fields; true if it was accepted. Never throws for bad input. */
    private boolean accept(String file, long line, Map<String, String> fields, List<InventoryProblem> problems, Sink sink) {
        if (problems.isEmpty()) {
            for (String required : REQUIRED) {
                if (fields.getOrDefault(required, "").isEmpty()) {
                    problems.add(new InventoryProblem(file, line, required, "is required"));
                }
            }
        }
        TenantId tenant = parse(problems, file, line, "tenant", fields.get("tenant"), TenantId::of);
        DomainName domain = parse(problems, file, line, "domain", fields.get("domain"), InventoryReader::mailDomain);
        DomainName zone = parse(problems, file, line, "zone", fields.get("zone"), DomainName::of);
        ProviderRef provider = null;
        if (zone != null) {
            provider = parse(problems, file, line, "connector", fields.get("connector"), c -> new ProviderRef(c, zone));
        }
        if (domain != null && zone != null && !domain.isSubdomainOf(zone)) {
            problems.add(new InventoryProblem(file, line, "zone", "domain " + domain + " is not in zone " + zone));
        }
        DomainName target = null;
        String mx = fields.getOrDefault("dnssec_mx_value", "");
        if (!mx.isEmpty()) {
            target = parse(problems, file, line, "dnssec_mx_value", mx, DomainName::of);
            if (target != null && MxHostKind.of(target) != MxHostKind.DANE_EXCHANGE_ONLINE) {
                problems.add(new InventoryProblem(file, line, "dnssec_mx_value", "'" + mx + "' is not an mx.microsoft host;"
                        + " use the DnssecMxValue that Enable-DnssecForVerifiedDomain returned"));
                target = null;
            }
        }
        String wave = fields.getOrDefault("wave", "");
        if (!wave.isEmpty() && !WAVE.matcher(wave).matches()) {
            problems.add(new InventoryProblem(file, line, "wave", "'" + shorten(wave) + "' must be 1-64 letters, digits, '.', '_' or '-'"));
        }
        dev.mxshift.model.event.UnsignedZonePolicy unsignedZone = null;
        String policy = fields.getOrDefault("unsigned_zone", "");
        if (!policy.isEmpty()) {
            unsignedZone = parse(problems, file, line, "unsigned_zone", policy, dev.mxshift.model.event.UnsignedZonePolicy::parse);
        }
        List<String> tags = new ArrayList<>();
        String tagText = fields.getOrDefault("tags", "");
        if (!tagText.isEmpty()) {
            for (String tag : tagText.split(";")) {
                String t = tag.trim();
                if (!TAG.matcher(t).matches()) {
                    problems.add(new InventoryProblem(file, line, "tags", "'" + shorten(t) + "' is not a tag (1-64 letters, digits, . _ : = -)"));
                } else {
                    tags.add(t);
                }
            }
        }
        if (problems.isEmpty()) {
            long first = seen.putIfAbsent(domain.value(), line == 0 ? 1 : line);
            if (first != 0) {
                problems.add(new InventoryProblem(file, line, "domain", domain.value()
                        + (domain.unicode().equals(domain.value()) ? "" : " (" + domain.unicode() + ")")
                        + " is already in the inventory (first at line " + first + ")"));
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(sink::rejected);
            return false;
        }
        sink.accepted(new InventoryRow(line, tenant, domain, provider, target, wave.isEmpty() ? null : wave, tags, unsignedZone));
        return true;
    }

    private static <T> T parse(List<InventoryProblem> problems, String file, long line, String field, String value,
                               java.util.function.Function<String, T> parser) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (InvalidValueException e) {
            problems.add(new InventoryProblem(file, line, field, "'" + shorten(value) + "' " + e.reason()));
        } catch (IllegalArgumentException e) {
            problems.add(new InventoryProblem(file, line, field, "'" + shorten(value) + "': " + e.getMessage()));
        }
        return null;
    }

    /**
     * A domain that can receive mail through a public MX: at least two labels. A single label ({@code localhost},
     * {@code intranet}) is a host or a top-level domain, never a tenant's accepted domain.
     */
    static DomainName mailDomain(String value) {
        DomainName domain = DomainName.of(value);
        if (domain.value().indexOf('.') < 0) {
            throw new InvalidValueException("domain", value, "is a single label; a mail domain has at least two (contoso.com)");
        }
        return domain;
    }

    static String canonicalColumn(String column) {
        String c = column.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT).replace("-", "_");
        return c.equals("dnssecmxvalue") ? "dnssec_mx_value" : c.equals("unsignedzone") ? "unsigned_zone" : c;
    }

    private static String checkColumns(List<String> columns) {
        Set<String> known = new java.util.HashSet<>(REQUIRED);
        known.addAll(OPTIONAL);
        // An unknown column is most often a misspelt one, which also explains a "missing" one: say it first.
        for (String column : columns) {
            if (!known.contains(column)) {
                return "names an unknown column '" + column + "'; known: " + String.join(", ", REQUIRED) + ", " + String.join(", ", OPTIONAL);
            }
        }
        for (String required : REQUIRED) {
            if (!columns.contains(required)) {
                return "has no '" + required + "' column; the columns are " + String.join(", ", REQUIRED)
                        + " and, optionally, " + String.join(", ", OPTIONAL);
            }
        }
        if (columns.size() != new java.util.HashSet<>(columns).size()) {
            return "names a column twice: " + Arrays.toString(columns.toArray());
        }
        return null;
    }

    private static String shorten(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }
}
