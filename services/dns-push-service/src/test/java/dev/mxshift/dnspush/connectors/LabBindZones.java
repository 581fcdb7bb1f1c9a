package dev.mxshift.dnspush.connectors;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * New unsigned zones in the lab's running BIND, added with {@code rndc addzone} as a hoster's provisioning would (every
 * TTL the lab's {@code signableZoneTtl}, within its signing policies' max-zone-ttl), updatable with the lab's TSIG key: a fresh zone for each DNSSEC test,
 * since named keeps a zone that once published a DS on its way out for a day (the built-in insecure policy's parent DS
 * TTL).
 */
final class LabBindZones {

    private static final AtomicInteger ZONES = new AtomicInteger();

    private final Path rndcConf;
    private final String tsigName;
    private final String suffix;
    private final long ttl;

    /**
     * @param suffix the zones' common suffix, e.g. {@code bind-signing.test}
     * @param ttl    every TTL of the zones: the lab BIND's {@code signableZoneTtl}
     */
    LabBindZones(Path rndcConf, String tsigName, String suffix, long ttl) {
        if (ttl <= 0) {
            throw new IllegalArgumentException("the lab's BIND names no signableZoneTtl: " + ttl);
        }
        this.rndcConf = rndcConf;
        this.tsigName = tsigName;
        this.suffix = suffix;
        this.ttl = ttl;
    }

    String add() {
        String zone = "kit" + ZONES.incrementAndGet() + "." + suffix;
        try {
            Path file = rndcConf.getParent().resolve("zones").resolve(zone + ".db");
            Files.writeString(file, String.join("\n", "$TTL " + ttl,
                    zone + ". IN SOA ns." + zone + ". hostmaster." + zone + ". 1 60 60 600 " + ttl,
                    zone + ". IN NS ns." + zone + ".",
                    "ns." + zone + ". IN A 127.0.0.1",
                    zone + ". IN MX 0 mx." + zone + ".", ""));
            rndc("addzone", zone, "{ type primary; file \"" + file + "\"; update-policy { grant " + tsigName + " zonesub ANY; }; };");
        } catch (Exception e) {
            throw new IllegalStateException("could not add " + zone + " to the lab's BIND", e);
        }
        return zone;
    }

    private void rndc(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("rndc", "-c", rndcConf.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("rndc " + arguments[0] + " failed: " + output);
        }
    }
}
