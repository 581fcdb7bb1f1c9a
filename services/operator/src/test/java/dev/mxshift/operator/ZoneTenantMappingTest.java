package dev.mxshift.operator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ZoneTenantMappingTest {

    @Test
    void zonesAndAccountsMapToTenantsWithCommentsAndBlankLinesSkipped() {
        ZoneTenantMapping.Read read = ZoneTenantMapping.parse("map.csv", """
                # the hoster's customers
                zone,tenant
                Contoso.COM.,tenant-contoso

                account:023e105f4ecef8ad9ca31a8372d0c353,tenant-fabrikam
                "account:Northwind Traders",tenant-northwind
                bücher.de,tenant-books
                """);

        assertThat(read.problems()).isEmpty();
        ZoneTenantMapping mapping = read.mapping();
        assertThat(mapping.size()).isEqualTo(4);
        assertThat(mapping.forZone("contoso.com")).hasValueSatisfying(m -> {
            assertThat(m.tenant().value()).isEqualTo("tenant-contoso");
            assertThat(m.source()).isEqualTo("map.csv:3");
        });
        assertThat(mapping.forZone("xn--bcher-kva.de")).as("an IDN matches in either spelling").isPresent();
        assertThat(mapping.forZone("fabrikam.com")).isEmpty();
        assertThat(mapping.forAccount("023e105f4ecef8ad9ca31a8372d0c353", "Fabrikam")).hasValueSatisfying(m ->
                assertThat(m.tenant().value()).isEqualTo("tenant-fabrikam"));
        assertThat(mapping.forAccount("ffff", "Northwind Traders")).as("by the account's name when its id has no row")
                .hasValueSatisfying(m -> assertThat(m.tenant().value()).isEqualTo("tenant-northwind"));
        assertThat(mapping.forAccount(null, null)).isEmpty();
    }

    @Test
    void everyBadLineIsReportedWithFileLineAndFieldAndTheMappingIsNotUsed() {
        ZoneTenantMapping.Read read = ZoneTenantMapping.parse("map.csv", """
                zone,tenant
                contoso.com,tenant-contoso
                not a zone!,tenant-x
                fabrikam.com,tenant with spaces
                northwind.net
                account:,tenant-y
                contoso.com,tenant-other
                contoso.com,tenant-contoso
                """);

        assertThat(read.problems()).extracting(Object::toString).satisfiesExactly(
                p -> assertThat(p).startsWith("map.csv:3: zone: "),
                p -> assertThat(p).startsWith("map.csv:4: tenant: ").contains("may contain only"),
                p -> assertThat(p).isEqualTo("map.csv:5: row: has 1 values; a row is zone,tenant"),
                p -> assertThat(p).startsWith("map.csv:6: account: is empty"),
                p -> assertThat(p).isEqualTo("map.csv:7: zone: 'contoso.com' is mapped to tenant-contoso at map.csv:2 already; one tenant per zone"));
        assertThat(read.mapping().size()).isZero();
    }

    @Test
    void aFileWithoutTheHeaderOrEmptyIsRefusedSayingWhatTheFirstLineMustBe(@TempDir Path dir) throws Exception {
        assertThat(ZoneTenantMapping.parse("map.csv", "contoso.com,tenant-contoso\n").problems()).extracting(Object::toString)
                .containsExactly("map.csv:1: header: must be zone,tenant (then rows: a zone, or account:ID-OR-NAME, and its tenant)");
        assertThat(ZoneTenantMapping.parse("map.csv", "# nothing\n\n").problems()).extracting(Object::toString)
                .containsExactly("map.csv:0: file: is empty; the first line must be zone,tenant");
        Path missing = dir.resolve("missing.csv");
        assertThat(ZoneTenantMapping.read(missing).problems()).extracting(Object::toString)
                .containsExactly(missing + ":0: file: does not exist or cannot be read");
        Path file = Files.writeString(dir.resolve("map.csv"), "zone,tenant\ncontoso.com,tenant-contoso\n");
        assertThat(ZoneTenantMapping.read(file).mapping().forZone("contoso.com")).isPresent();
    }
}
