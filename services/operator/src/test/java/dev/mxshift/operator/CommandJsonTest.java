package dev.mxshift.operator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands that print something for scripts print JSON with --json (those on a running system: MigrationEndToEndIT). */
class CommandJsonTest {

    private record Run(int code, String out) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        int code = OperatorCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(new StringWriter(), true)).execute(args);
        return new Run(code, out.toString());
    }

    @Test
    void apiTokenPrintsTheTokenAndItsLine() throws Exception {
        Run r = run("api-token", "--name", "noc", "--all-tenants", "--json");
        assertThat(r.code()).isZero();
        JsonNode token = Json.MAPPER.readTree(r.out());
        assertThat(token.path("name").asString()).isEqualTo("noc");
        assertThat(token.path("scope").asString()).isEqualTo("*");
        assertThat(token.path("line").asString()).startsWith("noc * ");
        assertThat(token.path("line").asString()).doesNotContain(token.path("token").asString());
    }

    @Test
    void servicesStatusSaysWhichRun(@TempDir Path dir) throws Exception {
        Run r = run("services", "status", "--run-dir", dir.toString(), "--json");
        assertThat(r.code()).as("none runs").isEqualTo(3);
        JsonNode all = Json.MAPPER.readTree(r.out());
        assertThat(all).hasSize(4);
        assertThat(all.get(0).path("service").asString()).isEqualTo("discovery-service");
        assertThat(all.get(0).path("running").asBoolean()).isFalse();
    }
}
