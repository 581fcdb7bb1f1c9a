package dev.mxshift.discovery.inventory;

import dev.mxshift.model.testing.Gen;
import dev.mxshift.model.testing.Property;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever is in an inventory file, the reader answers with accepted rows and problems, never an exception. */
class InventoryReaderPropertiesTest {

    /** A field: any characters at all, the characters CSV, JSON and domain names care about, or a plausible value. */
    private static final Gen<String> FIELD = Gen.oneOf(
            Gen.strings(Gen.anyChar(), 0, 30),
            Gen.strings(Gen.chars("abcxyz0189.-_*,;\"' \u00fc\u200d"), 0, 40),
            Gen.elements("contoso.com", "acme", "pdns", "contoso-com.o-v1.mx.microsoft", "", "xn--a.example", "*.a.com"));

    /** Up to 30 rows of up to 9 fields each. */
    private static final Gen<List<List<String>>> ROWS = FIELD.list(0, 9).list(0, 30);

    @Test
    void malformedCsvRowsNeverThrow() {
        int tries = 300;
        AtomicInteger rowByRow = new AtomicInteger();
        Property.forAll(ROWS).tries(tries).check(rows -> csvRowsAreAnsweredWithoutThrowing(rows, rowByRow));
        System.out.println("files without quotes or line breaks in a field, checked row by row: " + rowByRow + " of " + tries);
        assertThat(rowByRow.get()).as("files checked row by row").isGreaterThan(tries / 20);
    }

    private static void csvRowsAreAnsweredWithoutThrowing(List<List<String>> rows, AtomicInteger rowByRow) throws IOException {
        StringBuilder text = new StringBuilder("tenant,domain,connector,zone,dnssec_mx_value,wave,tags\n");
        rows.forEach(r -> text.append(String.join(",", r)).append('\n'));
        Path file = Files.createTempFile("inventory", ".csv");
        try {
            Files.write(file, text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            CollectingSink sink = new CollectingSink();
            InventoryReader.Summary summary = new InventoryReader().read(file, sink);
            assertThat(summary.accepted()).isEqualTo(sink.accepted.size());
            // A CSV parser ends a line at \r\n, \r or \n, and a field may hold a bare \r: count lines its way.
            long lines = text.substring(text.indexOf("\n") + 1).split("\r\n|\r|\n", -1).length - 1;
            assertThat(summary.accepted() + summary.rejected()).isLessThanOrEqualTo(lines);
            boolean quoted = rows.stream().flatMap(List::stream).anyMatch(f -> f.contains("\"") || f.contains("\r") || f.contains("\n"));
            if (!summary.fileRejected() && !quoted) {
                rowByRow.incrementAndGet();
                // Without quotes every line is one row; each non-empty one gets exactly one answer.
                long nonEmpty = rows.stream().filter(r -> !String.join(",", r).isEmpty()).count();
                assertThat(summary.accepted() + summary.rejected()).as("every row answered once for code points %s", rows.toString().codePoints().mapToObj(Integer::toHexString).toList()).isEqualTo(nonEmpty);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void malformedJsonLinesNeverThrow() {
        Property.forAll(ROWS).tries(200).check(InventoryReaderPropertiesTest::jsonLinesAreAnsweredWithoutThrowing);
    }

    private static void jsonLinesAreAnsweredWithoutThrowing(List<List<String>> rows) throws IOException {
        StringBuilder text = new StringBuilder();
        String[] keys = {"tenant", "domain", "connector", "zone", "dnssec_mx_value", "wave", "tags", "extra", "domain"};
        for (List<String> row : rows) {
            text.append('{');
            for (int i = 0; i < row.size(); i++) {
                text.append(i == 0 ? "" : ",").append('"').append(keys[i]).append("\":\"")
                        .append(row.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            text.append("}\n");
        }
        Path file = Files.createTempFile("inventory", ".jsonl");
        try {
            Files.write(file, text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            CollectingSink sink = new CollectingSink();
            InventoryReader.Summary summary = new InventoryReader().read(file, sink);
            assertThat(summary.accepted() + summary.rejected()).isLessThanOrEqualTo(rows.size());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
