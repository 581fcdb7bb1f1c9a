package dev.mxshift.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * PowerDNS Authoritative (gsqlite3 backend, live DNSSEC signing, HTTP API) as a private lab instance: the hosters'
 * (tenant zones and the lab's infrastructure below the TLDs) or the registries' (the root and the TLDs).
 */
final class PowerDnsServer {

    private static final Path SCHEMA = Path.of("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql");

    private final LabLayout layout;
    private final LabZone.Server role;
    private final Path dir;
    private final String address;
    private final int port;
    private final int apiPort;
    private final ServerProcess process;

    private PowerDnsServer(LabLayout layout, LabZone.Server role, String name, Path dir, String address, int port, int apiPort) {
        this.layout = layout;
        this.role = role;
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.apiPort = apiPort;
        this.process = new ServerProcess(name, dir);
    }

    /** The hosters' PowerDNS: tenant zones, lab-dns.net, mx.microsoft and the other zones below the TLDs. */
    static PowerDnsServer hosters(LabLayout layout) {
        return new PowerDnsServer(layout, LabZone.Server.POWERDNS, "pdns", layout.powerDns(), layout.powerDnsAddress(),
                layout.powerDnsPort(), layout.powerDnsApiPort());
    }

    /** The registries' PowerDNS: the root and the TLDs, written by the CDS scanner and the registrar desk. */
    static PowerDnsServer registries(LabLayout layout) {
        return new PowerDnsServer(layout, LabZone.Server.REGISTRY, "pdns-registry", layout.registryDns(), layout.registryAddress(),
                layout.registryPort(), layout.registryApiPort());
    }

    ServerProcess process() {
        return process;
    }

    void load(List<LabZone> zones, DnssecKey key, String tsigSecret) {
        zones = zones.stream().filter(z -> z.server() == role).toList();
        // Only the hosters' zones take RFC 2136 updates; a registry's zone changes through its own systems (the API).
        tsigSecret = role == LabZone.Server.REGISTRY ? null : tsigSecret;
        Path database = dir.resolve("pdns.sqlite");
        Path sql = dir.resolve("zones.sql");
        PowerDnsStore.writeSql(zones, key, tsigSecret, sql);
        Commands.run(List.of("sqlite3", database.toString()), SCHEMA, 60);
        Commands.run(List.of("sqlite3", database.toString()), sql, 3600);
    }

    void start(String apiKey) {
        List<String> roleSettings = role == LabZone.Server.REGISTRY
                // A registry's server answers from one version of its zone at a time, as BIND and Knot do. PowerDNS's
                // caches can mix versions: a negative "no DS" cached while the NSEC at the delegation, built from the
                // database, already lists the new DS, which validating resolvers take as bogus (docs/benchmarks.md,
                // the DNSSEC onboarding run of 2026-12-06). Off here: the registries' zones are small and resolvers cache.
                ? List.of("cache-ttl=0", "query-cache-ttl=0", "negquery-cache-ttl=0")
                : List.of(
                        "primary=yes",
                        // RFC 2136 updates signed with the lab's TSIG key (each zone's TSIG-ALLOW-DNSUPDATE), from loopback.
                        "dnsupdate=yes",
                        "allow-dnsupdate-from=127.0.0.0/8",
                        // PowerDNS looks for changed serials to NOTIFY about once per cycle (60 s by default); the lab's
                        // changes should reach BIND in about a second, as a busy production primary's would.
                        "xfr-cycle-interval=1",
                        "also-notify=" + layout.bindAddress() + ":" + layout.bindPort(),
                        "allow-axfr-ips=127.0.0.0/8");
        try {
            Files.writeString(dir.resolve("pdns.conf"), String.join("\n",
                    "# Written by the mxshift lab; rewritten at every lab up.",
                    "launch=gsqlite3",
                    "gsqlite3-database=" + dir.resolve("pdns.sqlite"),
                    "gsqlite3-dnssec=yes",
                    // Write-ahead logging: API reads are not blocked by a write in progress (SQLite still has one writer).
                    "gsqlite3-pragma-journal-mode=WAL",
                    "local-address=" + address,
                    "local-port=" + port,
                    "api=yes",
                    "api-key=" + apiKey,
                    "webserver=yes",
                    "webserver-address=" + address,
                    "webserver-port=" + apiPort,
                    "webserver-allow-from=127.0.0.0/8",
                    "socket-dir=" + dir,
                    "guardian=no",
                    "daemon=no",
                    "disable-syslog=yes",
                    "loglevel=4",
                    "default-ttl=3600",
                    "distributor-threads=2",
                    "receiver-threads=2",
                    "reuseport=yes",
                    String.join("\n", roleSettings),
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process.start(List.of("pdns_server", "--config-dir=" + dir));
        process.awaitDns(address, port, Duration.ofSeconds(60));
        process.awaitTcp(address, apiPort, Duration.ofSeconds(30));
    }
}
