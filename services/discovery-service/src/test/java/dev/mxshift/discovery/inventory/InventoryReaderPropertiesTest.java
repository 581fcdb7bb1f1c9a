package dev.mxshift.discovery.inventory;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever is in an inventory file, the reader answers with accepted rows and problems, never an exception. */
class InventoryReaderPropertiesTest {

    @Provide
    Arbitrary<String> field() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().withChars("abcxyz0189.-_*,;\"' \u00fc\u200d").ofMaxLength(40),
                Arbitraries.of("contoso.com", "acme", "pdns", "contoso-com.o-v1.mx.microsoft", "", "xn--a.example", "*.a.com"));
    }

    @Provide
    Arbitrary<List<List<String>>> rows() {
        return field().list().ofMinSize(0).ofMaxSize(9).list().ofMaxSize(30);
    }

    @Property(tries = 300)
    void malformedCsvRowsNeverThrow(@ForAll("rows") List<List<String>> rows) throws IOException {
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
                // Without quotes every line is one row; each non-empty one gets exactly one answer.
                long nonEmpty = rows.stream().filter(r -> !String.join(",", r).isEmpty()).count();
                assertThat(summary.accepted() + summary.rejected()).as("every row answered once for code points %s", rows.toString().codePoints().mapToObj(Integer::toHexString).toList()).isEqualTo(nonEmpty);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Property(tries = 200)
    void malformedJsonLinesNeverThrow(@ForAll("rows") List<List<String>> rows) throws IOException {
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
