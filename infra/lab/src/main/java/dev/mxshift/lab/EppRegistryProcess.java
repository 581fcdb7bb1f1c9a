package dev.mxshift.lab;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts {@link EppRegistryServer} as a lab process (its own JVM, a pid file, {@code lab down} ends it), with a
 * certificate of the lab CA for {@value #HOST} and its address, one registrar's client id and a fresh password, and the
 * PowerDNS API that holds the registry zones it serves.
 */
public final class EppRegistryProcess {

    /** EPP's port is 700 (RFC 5734 section 2); the lab, like its other servers, uses an unprivileged one. */
    public static final String ADDRESS = "127.0.10.70";
    public static final int PORT = 7700;
    public static final String HOST = "epp.lab-registry.net";
    public static final String CLIENT_ID = "mxshift-lab";
    /** The registry zones that take DNSKEYs rather than DS (RFC 5910 keyData), as DENIC does for .de. */
    public static final List<String> KEY_DATA_ZONES = List.of("de");

    private final LabLayout layout;
    private final ServerProcess process;

    EppRegistryProcess(LabLayout layout) {
        this.layout = layout;
        this.process = new ServerProcess("epp-registry", layout.registry());
    }

    ServerProcess process() {
        return process;
    }

    Path passwordFile() {
        return layout.registry().resolve("epp-password");
    }

    /** What endpoints.json says about it: where it listens, whom it trusts, the client id and the password's file. */
    Map<String, Object> endpoint(List<String> zones) {
        Map<String, Object> epp = new LinkedHashMap<>();
        epp.put("host", ADDRESS);
        epp.put("port", PORT);
        epp.put("serverName", HOST);
        epp.put("caFile", layout.pki().resolve("ca.pem").toString());
        epp.put("clientId", CLIENT_ID);
        epp.put("passwordFile", passwordFile().toString());
        epp.put("zones", zones);
        epp.put("keyDataZones", KEY_DATA_ZONES.stream().filter(zones::contains).toList());
        epp.put("log", process.logFile().toString());
        return epp;
    }

    void start(LabPki pki, List<String> zones, String apiUrl, String apiKey) {
        Path config = layout.registry().resolve("epp.json");
        try {
            LabPki.writeEndpoint(layout.registry(), "epp", LabPki.issue(pki.ca(), "CN=" + HOST, HOST, ADDRESS));
            byte[] secret = new byte[9];
            new SecureRandom().nextBytes(secret);
            // 12 characters: EPP passwords are 6 to 16 (RFC 5730 pwType)
            Files.writeString(passwordFile(), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
            Files.setPosixFilePermissions(passwordFile(), PosixFilePermissions.fromString("rw-------"));
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("address", ADDRESS);
            settings.put("port", PORT);
            settings.put("keyFile", layout.registry().resolve("epp.key").toString());
            settings.put("chainFile", layout.registry().resolve("epp.chain.pem").toString());
            settings.put("apiUrl", apiUrl);
            settings.put("apiKey", apiKey);
            settings.put("clientId", CLIENT_ID);
            settings.put("passwordFile", passwordFile().toString());
            settings.put("zones", zones);
            settings.put("keyDataZones", KEY_DATA_ZONES);
            settings.put("dsTtl", RegistryPolicy.LAB_DS_TTL);
            settings.put("clientCaFile", layout.pki().resolve("ca.pem").toString());
            settings.put("maxRuntimeSeconds", CdsScannerProcess.MAX_RUNTIME.toSeconds());
            Files.writeString(config, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(settings));
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process.start(List.of(java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                EppRegistryServer.class.getName(), config.toString()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!process.tail().contains(EppRegistryServer.READY)) {
            if (!process.alive()) {
                throw new IllegalStateException("epp-registry exited during start-up; its log " + process.logFile() + " ends with:\n" + process.tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("epp-registry did not start within 30 s; its log " + process.logFile() + " ends with:\n" + process.tail());
            }
            ServerProcess.sleep(100);
        }
    }
}
