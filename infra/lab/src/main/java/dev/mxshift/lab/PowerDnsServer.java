package dev.mxshift.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** PowerDNS Authoritative (gsqlite3 backend, live DNSSEC signing, HTTP API) as a private lab instance. */
final class PowerDnsServer {

    private static final Path SCHEMA = Path.of("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql");

    private final LabLayout layout;
    private final ServerProcess process;

    PowerDnsServer(LabLayout layout) {
        this.layout = layout;
        this.process = new ServerProcess("pdns", layout.powerDns());
    }

    ServerProcess process() {
        return process;
    }

    void load(List<LabZone> zones, DnssecKey key, String tsigSecret) {
        Path dir = layout.powerDns();
        Path database = dir.resolve("pdns.sqlite");
        Path sql = dir.resolve("zones.sql");
        PowerDnsStore.writeSql(zones, key, tsigSecret, sql);
        Commands.run(List.of("sqlite3", database.toString()), SCHEMA, 60);
        Commands.run(List.of("sqlite3", database.toString()), sql, 3600);
    }

    void start(String apiKey) {
        Path dir = layout.powerDns();
        try {
            Files.writeString(dir.resolve("pdns.conf"), String.join("\n",
                    "# Written by the mxshift lab; rewritten at every lab up.",
                    "launch=gsqlite3",
                    "gsqlite3-database=" + dir.resolve("pdns.sqlite"),
                    "gsqlite3-dnssec=yes",
                    // Write-ahead logging: API reads are not blocked by a write in progress (SQLite still has one writer).
                    "gsqlite3-pragma-journal-mode=WAL",
                    "local-address=" + layout.powerDnsAddress(),
                    "local-port=" + layout.powerDnsPort(),
                    "api=yes",
                    "api-key=" + apiKey,
                    "webserver=yes",
                    "webserver-address=" + layout.powerDnsAddress(),
                    "webserver-port=" + layout.powerDnsApiPort(),
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
                    "primary=yes",
                    // RFC 2136 updates signed with the lab's TSIG key (each zone's TSIG-ALLOW-DNSUPDATE), from loopback.
                    "dnsupdate=yes",
                    "allow-dnsupdate-from=127.0.0.0/8",
                    // PowerDNS looks for changed serials to NOTIFY about once per cycle (60 s by default); the lab's
                    // changes should reach BIND in about a second, as a busy production primary's would.
                    "xfr-cycle-interval=1",
                    "also-notify=" + layout.bindAddress() + ":" + layout.bindPort(),
                    "allow-axfr-ips=127.0.0.0/8",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process.start(List.of("pdns_server", "--config-dir=" + dir));
        process.awaitDns(layout.powerDnsAddress(), layout.powerDnsPort(), Duration.ofSeconds(60));
        process.awaitTcp(layout.powerDnsAddress(), layout.powerDnsApiPort(), Duration.ofSeconds(30));
    }
}
