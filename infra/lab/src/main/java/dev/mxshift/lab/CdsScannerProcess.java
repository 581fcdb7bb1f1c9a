package dev.mxshift.lab;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts {@link CdsScanner} as a lab process (its own JVM, like the other servers: a pid file, {@code lab down} ends
 * it, {@code lab status} shows it), with a configuration file that names the CDS-scanning registries, the
 * PowerDNS API that holds their zones, and the address:port of each name server host (the lab's stand-in for port
 * 53 of the host's address).
 */
final class CdsScannerProcess {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** A scanner left behind by a lab that was never brought down ends by itself after a week. */
    static final Duration MAX_RUNTIME = Duration.ofDays(7);

    private final LabLayout layout;
    private final ServerProcess process;

    CdsScannerProcess(LabLayout layout) {
        this.layout = layout;
        this.process = new ServerProcess("cds-scanner", layout.registry());
    }

    ServerProcess process() {
        return process;
    }

    Path logOf(String tld) {
        return layout.registry().resolve("registry-" + tld + ".log");
    }

    Path configFile() {
        return layout.registry().resolve("scanner.json");
    }

    /** @param resolver the lab's validating resolver (address:port), through which RFC 9615 signals must validate */
    void start(List<RegistryPolicy> registries, String apiUrl, String apiKey, Map<String, List<String>> serversOfHost, String resolver) {
        List<Map<String, Object>> scanned = new ArrayList<>();
        for (RegistryPolicy r : registries) {
            if (!r.scansCds()) {
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("tld", r.tld());
            entry.put("observations", r.observations());
            entry.put("scanIntervalMillis", r.scanInterval().toMillis());
            entry.put("dsTtl", r.dsTtl());
            entry.put("log", logOf(r.tld()).toString());
            entry.put("authenticatedBootstrap", r.authenticatedBootstrap());
            scanned.add(entry);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiUrl", apiUrl);
        config.put("apiKey", apiKey);
        config.put("serversOfHost", serversOfHost);
        config.put("resolver", resolver);
        config.put("registries", scanned);
        config.put("maxRuntimeSeconds", MAX_RUNTIME.toSeconds());
        config.put("workDirectory", layout.registry().resolve("work").toString());
        try {
            Files.createDirectories(layout.registry().resolve("work"));
            Files.writeString(configFile(), JSON.writeValueAsString(config));
            Files.setPosixFilePermissions(configFile(), PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process.start(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                CdsScanner.class.getName(), configFile().toString()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!process.tail().contains(CdsScanner.READY)) {
            if (!process.alive()) {
                throw new IllegalStateException("cds-scanner exited during start-up; its log " + process.logFile() + " ends with:\n" + process.tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cds-scanner did not start within 30 s; its log " + process.logFile() + " ends with:\n" + process.tail());
            }
            ServerProcess.sleep(100);
        }
    }
}
