package dev.mxshift.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bulk loader writes exactly what PowerDNS's own rectify would: order names, auth flags, empty non-terminals. */
class PowerDnsStoreIT {

    private static final String DUMP = "SELECT d.name, r.name, quote(r.type), quote(r.content), quote(r.ordername), r.auth, r.prio "
            + "FROM records r JOIN domains d ON d.id = r.domain_id ORDER BY 1, 2, 3, 4;";

    @Test
    void theLoadedZonesAreAlreadyRectified(@TempDir Path dir) throws Exception {
        LabLayout layout = LabLayout.defaults(dir);
        List<ScenarioSpec> scenarios = ScenarioCatalogue.builtIn();
        LabInternet internet = LabInternet.build(layout, LabPki.create(), scenarios);
        DnssecKey key = DnssecKey.generate();
        internet.publishDs(zone -> key.dnskey(zone, LabInternet.TTL));
        Path database = dir.resolve("pdns.sqlite");
        Path sql = dir.resolve("zones.sql");
        PowerDnsStore.writeSql(internet.zones(), key, sql);
        Commands.run(List.of("sqlite3", database.toString()), Path.of("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql"), 60);
        Commands.run(List.of("sqlite3", database.toString()), sql, 60);
        String loaded = Commands.run(List.of("sqlite3", database.toString(), DUMP), null, 60);

        Files.writeString(dir.resolve("pdns.conf"), "launch=gsqlite3\ngsqlite3-database=" + database + "\ngsqlite3-dnssec=yes\n");
        Commands.run(List.of("pdnsutil", "--config-dir=" + dir, "rectify-all-zones"), null, 300);
        String rectified = Commands.run(List.of("sqlite3", database.toString(), DUMP), null, 60);

        assertThat(loaded.lines().count()).isGreaterThan(200);
        assertThat(loaded).isEqualTo(rectified);
        String check = Commands.run(List.of("pdnsutil", "--config-dir=" + dir, "check-all-zones"), null, 300);
        assertThat(check).contains("Checked").doesNotContain("[Error]");
    }
}
