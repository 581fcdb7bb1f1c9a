package dev.mxshift.discovery.inventory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class InventoryCheckCommandTest {

    @Test
    void exitCodesAndTheRejectsFileSayWhatWasWrong(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.csv");
        Files.writeString(good, "tenant,domain,connector,zone\nacme,contoso.com,pdns,contoso.com\n");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "tenant,domain,connector,zone\nacme,contoso.com,pdns,contoso.com\n");
        Path rejects = dir.resolve("rejects.txt");

        assertThat(new CommandLine(new InventoryCheckCommand()).execute(good.toString())).isZero();
        assertThat(new CommandLine(new InventoryCheckCommand()).execute(good.toString(), bad.toString(), "--rejects", rejects.toString())).isEqualTo(1);
        assertThat(Files.readString(rejects)).isEqualTo(bad + ":2: domain: contoso.com is already in the inventory (first at line 2)\n");
        assertThat(new CommandLine(new InventoryCheckCommand()).execute()).as("no file given").isEqualTo(2);
    }

    @Test
    void jsonListsEveryProblemWithItsFileLineAndField(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "tenant,domain,connector,zone\nacme,contoso.com,pdns,contoso.com\nacme,not a domain,pdns,contoso.com\n");
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new InventoryCheckCommand()).execute(bad.toString(), "--json");
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).isEqualTo(1);
        tools.jackson.databind.JsonNode result = tools.jackson.databind.json.JsonMapper.builder().build().readTree(captured.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(result.path("accepted").asLong()).isEqualTo(1);
        assertThat(result.path("rejected").asLong()).isEqualTo(1);
        assertThat(result.path("problems").get(0).path("line").asLong()).isEqualTo(3);
        assertThat(result.path("problems").get(0).path("field").asString()).isEqualTo("domain");
    }
}
