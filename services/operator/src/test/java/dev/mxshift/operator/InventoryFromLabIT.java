package dev.mxshift.operator;

import dev.mxshift.discovery.inventory.InventoryProblem;
import dev.mxshift.discovery.inventory.InventoryReader;
import dev.mxshift.discovery.inventory.InventoryRow;
import dev.mxshift.lab.LabRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code inventory-from} over the real lab (issue 29's acceptance): the lab's PowerDNS through its API, its zones' account
 * naming their tenants, and BIND by the zones endpoints.json names, mapped by a mapping file. The inventory it writes is
 * read by the import's own reader: every row accepted, and every lab tenant's zone a lab server hosts in it, with the
 * tenant the lab's inventory names and the connector of the server that serves it. The lab's own zones (its name servers', Microsoft's) have no tenant and are
 * listed as left out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InventoryFromLabIT {

    private LabRun lab;
    private Path work;

    @BeforeAll
    void up() throws Exception {
        Path root = LabRun.repositoryRoot();
        lab = LabRun.up(root.resolve("services/operator/target/inventory-from-lab"));
        work = Files.createDirectories(root.resolve("services/operator/target/inventory-from-work"));
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void theInventoryFromTheLabsConnectorsIsOneImportAcceptsCoveringEveryLabZone() throws Exception {
        Map<String, String> bindTenants = new TreeMap<>();
        List<String> bindZones = bindZones();
        StringBuilder mapping = new StringBuilder("zone,tenant\n");
        for (JsonNode tenant : lab.tenants()) {
            if (bindZones.contains(tenant.path("domain").asString())) {
                bindTenants.put(tenant.path("domain").asString(), tenant.path("tenant").asString());
                mapping.append(tenant.path("domain").asString()).append(',').append(tenant.path("tenant").asString()).append('\n');
            }
        }
        assertThat(bindTenants).as("the lab has BIND-hosted tenants, mapped by the file").isNotEmpty();
        Path mappingFile = Files.writeString(work.resolve("bind-tenants.csv"), mapping);
        Path out = work.resolve("from-providers.csv");
        Path unmapped = work.resolve("unmapped.csv");

        OperatorCli run = inventoryFrom("--endpoints", lab.endpointsFile().toString(), "--mapping", mappingFile.toString(),
                "--out", out.toString(), "--unmapped", unmapped.toString());

        // What the README's operator guide shows.
        Files.writeString(work.resolve("inventory-from.stderr"), run.err());
        assertThat(run.code()).as(run.err()).isZero();
        Map<String, String> expected = new TreeMap<>();
        Map<String, String> expectedConnector = new TreeMap<>();
        List<String> notHosted = lab.tenants().stream().filter(t -> List.of("none", "lame").contains(t.path("hosting").asString()))
                .map(t -> t.path("domain").asString()).toList();
        assertThat(notHosted).as("the lab's tenants whose zone no lab server hosts").containsExactlyInAnyOrder("gone-away.com", "lamedelegation.com");
        readInventory(lab.inventoryFile(), row -> {
            if (!notHosted.contains(row.domain().value())) {
                expected.put(row.domain().value(), row.tenant().value());
                // Where the zone is served, as endpoints.json says (the lab's inventory names lab-powerdns for the two bogus
                // scenarios that BIND serves: expired-signatures.com and missing-signature.com).
                expectedConnector.put(row.domain().value(), bindZones.contains(row.domain().value()) ? "lab-bind" : "lab-powerdns");
            }
        });
        Map<String, String> tenants = new TreeMap<>();
        Map<String, String> connectors = new TreeMap<>();
        List<String> rejected = readInventory(out, row -> {
            tenants.put(row.domain().value(), row.tenant().value());
            connectors.put(row.domain().value(), row.provider().connectorId());
            assertThat(row.provider().zone().value()).isEqualTo(row.domain().value());
        });
        assertThat(rejected).as("the import's reader refuses no row").isEmpty();
        assertThat(tenants).as("every lab tenant's zone a lab server hosts, with its tenant").isEqualTo(expected);
        assertThat(connectors).as("each through the connector of the server that serves it").isEqualTo(expectedConnector);
        assertThat(expected).hasSizeGreaterThan(20);

        List<String> leftOut = Files.readAllLines(unmapped);
        assertThat(leftOut.get(0)).isEqualTo("connector,zone,account,reason");
        assertThat(leftOut.subList(1, leftOut.size())).as("the lab's own zones: no tenant").isNotEmpty()
                .allSatisfy(line -> assertThat(line).startsWith("lab-powerdns,").contains(",\"no tenant: the provider names no account"))
                .anySatisfy(line -> assertThat(line).startsWith("lab-powerdns,lab-dns.net,"));
        assertThat(run.err()).contains("inventory-from: lab-powerdns: ", "inventory-from: lab-bind: " + bindTenants.size() + " zones in ",
                "left out: lab-dns.net (lab-powerdns): no tenant",
                "inventory-from: " + (expected.size() + leftOut.size() - 1) + " zones listed, " + expected.size() + " in the inventory, "
                        + (leftOut.size() - 1) + " left out; written to " + out);
    }

    @Test
    void withoutAMappingBindsZonesAreLeftOutAndAZoneTwoConnectorsListIsKeptWithTheFirst() throws Exception {
        OperatorCli run = inventoryFrom("lab-bind", "zone-files", "--endpoints", lab.endpointsFile().toString(),
                "--zone-files", lab.directory().resolve("bind/zones").toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("tenant,domain,connector,zone\n");
        for (String zone : bindZones()) {
            assertThat(run.err()).contains("left out: " + zone + " (lab-bind): no tenant: the provider names no account for it",
                    "left out: " + zone + " (zone-files): no tenant");
        }
    }

    @Test
    void aConnectorThatFailsIsNamedAndTheExitIsOneWithTheOthersZonesStillWritten() throws Exception {
        Path key = Files.writeString(work.resolve("wrong-key"), "not-the-key");
        Path connectors = Files.writeString(work.resolve("connectors.json"), """
                {"connectors": [{"id": "pdns-wrong-key", "type": "powerdns", "settings": {"url": "%s", "api-key": "file:%s"}}]}
                """.formatted(lab.endpoints().path("powerdnsApi").path("url").asString(), key));

        OperatorCli run = inventoryFrom("--connectors", connectors.toString(), "--endpoints", lab.endpointsFile().toString(), "--mapping",
                Files.writeString(work.resolve("empty-map.csv"), "zone,tenant\n").toString());

        assertThat(run.code()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("failed: pdns-wrong-key: AUTHENTICATION: ", "connector(s) failed: pdns-wrong-key");
        assertThat(run.out()).as("the lab's PowerDNS zones are still there").contains(",contoso.com,lab-powerdns,contoso.com\n");

        OperatorCli bad = inventoryFrom("--endpoints", lab.endpointsFile().toString(), "--mapping",
                Files.writeString(work.resolve("bad-map.csv"), "zone,tenant\ncontoso.com,tenant contoso\n").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains(work.resolve("bad-map.csv") + ":2: tenant: ", "the mapping file has 1 bad line(s); nothing was listed");
        assertThat(bad.out()).isEmpty();
    }

    private List<String> bindZones() {
        List<String> zones = new ArrayList<>();
        lab.endpoints().path("authoritative").forEach(s -> {
            if (s.path("name").asString().equals("bind")) {
                s.path("zones").forEach(z -> zones.add(z.asString()));
            }
        });
        return zones;
    }

    private static List<String> readInventory(Path file, java.util.function.Consumer<InventoryRow> rows) {
        List<String> rejected = new ArrayList<>();
        new InventoryReader().read(file, new InventoryReader.Sink() {
            @Override
            public void accepted(InventoryRow row) {
                rows.accept(row);
            }

            @Override
            public void rejected(InventoryProblem problem) {
                rejected.add(problem.toString());
            }
        });
        return rejected;
    }

    private static OperatorCli inventoryFrom(String... args) {
        List<String> all = new ArrayList<>(List.of("inventory-from"));
        all.addAll(List.of(args));
        return OperatorCli.local(all.toArray(String[]::new));
    }
}
