package dev.mxshift.discovery.inventory;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.MxHostKind;
import dev.mxshift.model.dns.TenantId;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads back the CSV that mxshift's Enable-DnssecForVerifiedDomain script exports ({@code tenant, domain,
 * dnssec_mx_value, error}; PowerShell quotes every field and may start the file with a byte-order mark): each row
 * with a value is Microsoft's target for that domain; a row with an error, or without a value, is listed with why.
 */
public final class TargetExportReader {

    /** Microsoft's host for a domain, from one row. */
    public record TargetAssignment(String file, long line, TenantId tenant, DomainName domain, DomainName target) {
    }

    public static final Set<String> COLUMNS = Set.of("tenant", "domain", "dnssec_mx_value", "error");

    private final CsvMapper csv = CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY).build();

    /** Whether a CSV file's header is the export's (as opposed to an inventory's). */
    public boolean isExport(Path file) {
        try (MappingIterator<String[]> rows = csv.readerForArrayOf(String.class).readValues(file.toFile())) {
            return rows.hasNextValue() && Set.copyOf(columns(rows.nextValue())).equals(COLUMNS);
        } catch (JacksonException | IllegalStateException e) {
            return false;
        }
    }

    /** Returns how many rows were read; every row goes to exactly one of the two consumers. */
    public long read(Path file, Consumer<TargetAssignment> accepted, Consumer<InventoryProblem> rejected) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            rejected.accept(new InventoryProblem(name, 0, "file", "does not exist or is not a file"));
            return 0;
        }
        long rowsRead = 0;
        try (MappingIterator<String[]> rows = csv.readerForArrayOf(String.class).readValues(file.toFile())) {
            List<String> columns = rows.hasNextValue() ? columns(rows.nextValue()) : List.of();
            if (!Set.copyOf(columns).equals(COLUMNS) || columns.size() != COLUMNS.size()) {
                rejected.accept(new InventoryProblem(name, 1, "header", "must be tenant,domain,dnssec_mx_value,error (the"
                        + " columns mxshift's Enable-DnssecForVerifiedDomain script exports); found " + columns));
                return 0;
            }
            while (rows.hasNextValue()) {
                String[] values = rows.nextValue();
                long line = rows.currentLocation().getLineNr() - 1;
                if (values.length == 1 && values[0].isEmpty()) {
                    continue;
                }
                rowsRead++;
                if (values.length != columns.size()) {
                    rejected.accept(new InventoryProblem(name, line, "row", "has " + values.length + " values; the header names 4"));
                    continue;
                }
                String tenant = values[columns.indexOf("tenant")].trim();
                String domain = values[columns.indexOf("domain")].trim();
                String value = values[columns.indexOf("dnssec_mx_value")].trim();
                String error = values[columns.indexOf("error")].trim();
                if (!error.isEmpty()) {
                    rejected.accept(new InventoryProblem(name, line, "error", "Enable-DnssecForVerifiedDomain failed for " + domain
                            + ": " + error + "; fix it in Exchange Online and run the script again"));
                    continue;
                }
                if (value.isEmpty()) {
                    rejected.accept(new InventoryProblem(name, line, "dnssec_mx_value", "is empty, and there is no error either"));
                    continue;
                }
                String field = "tenant";
                try {
                    TenantId t = TenantId.of(tenant);
                    field = "domain";
                    DomainName d = InventoryReader.mailDomain(domain);
                    field = "dnssec_mx_value";
                    DomainName target = DomainName.of(value);
                    if (MxHostKind.of(target) != MxHostKind.DANE_EXCHANGE_ONLINE) {
                        throw new InvalidValueException("DnssecMxValue", value, "is not an mx.microsoft host");
                    }
                    accepted.accept(new TargetAssignment(name, line, t, d, target));
                } catch (InvalidValueException e) {
                    rejected.accept(new InventoryProblem(name, line, field, e.getMessage()));
                }
            }
        } catch (JacksonException e) {
            rejected.accept(new InventoryProblem(name, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "file",
                    "is not valid CSV: " + e.getOriginalMessage()));
        }
        return rowsRead;
    }

    private static List<String> columns(String[] header) {
        List<String> columns = new ArrayList<>();
        for (String column : header) {
            columns.add(InventoryReader.canonicalColumn(column));
        }
        return columns;
    }
}
