package dev.mxshift.lab;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A lab brought up the way an operator does it, through {@code infra/lab/lab}, in a directory of the caller's
 * choosing, for another module's integration tests; and what it wrote (endpoints.json, tenants.json, inventory.csv).
 */
public final class LabRun implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path root;
    private final Path dir;

    private LabRun(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
    }

    /** Runs {@code lab up} with {@code MXSHIFT_LAB_DIR=dir} (extra arguments such as --tenants go to it). */
    public static LabRun up(Path dir, String... arguments) {
        LabRun run = new LabRun(repositoryRoot(), dir.toAbsolutePath());
        List<String> command = new ArrayList<>(List.of("up"));
        command.addAll(List.of(arguments));
        run.lab(command);
        return run;
    }

    public Path directory() {
        return dir;
    }

    public Path endpointsFile() {
        return dir.resolve("endpoints.json");
    }

    public Path inventoryFile() {
        return dir.resolve("inventory.csv");
    }

    public JsonNode endpoints() {
        return read(endpointsFile());
    }

    public List<JsonNode> tenants() {
        List<JsonNode> tenants = new ArrayList<>();
        read(dir.resolve("tenants.json")).forEach(tenants::add);
        return tenants;
    }

    @Override
    public void close() {
        lab(List.of("down"));
    }

    private void lab(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("infra/lab/lab").toString()));
        command.addAll(arguments);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("MXSHIFT_LAB_DIR", dir.toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("lab " + String.join(" ", arguments) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running lab " + arguments, e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checkout: the nearest directory upwards with the Maven wrapper. */
    public static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("not inside the mxshift checkout (no mvnw above " + Path.of("").toAbsolutePath() + ")");
        }
        return p;
    }
}
