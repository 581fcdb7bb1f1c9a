package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.DiscoverySnapshot;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dry run reads what discover printed and shows, per domain, the plan with its checksum and rollback, or why it is held. */
class DryRunCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final EventCodec CODEC = new EventCodec();

    @TempDir
    Path dir;

    @Test
    void plansTheDiscoveredDomainsAndHoldsTheOnesWithoutATargetOrADiscovery() throws Exception {
        Path discovered = discoverOutput();
        Path text = dir.resolve("plans.txt");
        assertThat(DryRunCommand.run(discovered.toString(), "--out", text.toString())).as("two domains are held").isEqualTo(1);
        String report = Files.readString(text);
        assertThat(report).contains("contoso.com: ").contains("steps to " + Fixtures.TARGET_HOST)
                .contains("rollback, from the end").contains("fabrikam.com: blocked").contains("TARGET_UNKNOWN")
                .contains("gone.example: blocked").contains("NOT_DISCOVERED");

        Path json = dir.resolve("plans.json");
        DryRunCommand.run(discovered.toString(), "--json", "--out", json.toString());
        JsonNode domains = JSON.readTree(json.toFile()).path("domains");
        assertThat(domains).hasSize(3);
        String checksum = domains.get(0).path("checksum").asString();
        assertThat(checksum).matches("[0-9a-f]{64}");
        assertThat(report).contains(checksum);

        Path checksums = dir.resolve("approved.txt");
        DryRunCommand.run(discovered.toString(), "--checksums-only", "--out", checksums.toString());
        assertThat(ReviewedChecksums.read(checksums)).containsExactly(checksum);
    }

    @Test
    void theDomainsWithoutATargetGetTheirTenantsEnablementScript() throws Exception {
        Path scripts = dir.resolve("scripts");
        DryRunCommand.run(discoverOutput().toString(), "--out", dir.resolve("plans.txt").toString(), "--enablement-scripts", scripts.toString());
        Path script = scripts.resolve("enable-dnssec-tenant-1.ps1");
        assertThat(script).exists();
        String text = Files.readString(script);
        assertThat(text).contains("Enable-DnssecForVerifiedDomain").contains("fabrikam.com").doesNotContain("contoso.com")
                .contains(DnssecEnablementScript.csvName(dev.mxshift.model.dns.TenantId.of("tenant-1")));
    }

    @Test
    void aLineThatIsNotDiscoversOutputIsNamedByFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"domain\":\"contoso.com\"}\n");
        assertThat(DryRunCommand.run(bad.toString())).isEqualTo(2);
        assertThat(DryRunCommand.run(dir.resolve("missing.jsonl").toString())).isNotZero();
    }

    @Test
    void anApprovedChecksumsFileWithAMalformedLineIsRefusedWithItsLine() throws Exception {
        Path file = dir.resolve("approved.txt");
        Files.writeString(file, "# reviewed 2026-11-28\n" + "a".repeat(64) + "  # contoso.com\n\nnot-a-checksum\n");
        assertThatThrownBy(() -> ReviewedChecksums.read(file)).hasMessageContaining(file + ":4:").hasMessageContaining("not-a-checksum");
    }

    private Path discoverOutput() throws Exception {
        DiscoverySnapshot contoso = Fixtures.eligibleSnapshot(Fixtures.legacyMx(Fixtures.DOMAIN));
        DomainName fabrikam = DomainName.of("fabrikam.com");
        DiscoverySnapshot fabrikamSnapshot = Fixtures.eligibleSnapshot(Fixtures.legacyMx(fabrikam));
        StringBuilder lines = new StringBuilder();
        lines.append(line("contoso.com", Fixtures.TARGET_HOST.value(), contoso)).append('\n');
        lines.append(line("fabrikam.com", null, fabrikamSnapshot)).append('\n');
        ObjectNode gone = JSON.createObjectNode().put("domain", "gone.example").put("tenant", "tenant-1").put("outcome", "failed")
                .put("reason", "gone.example does not exist in DNS (NXDOMAIN)");
        lines.append(JSON.writeValueAsString(gone)).append('\n');
        Path file = dir.resolve("discovered.jsonl");
        Files.writeString(file, lines);
        return file;
    }

    private static String line(String domain, String target, DiscoverySnapshot snapshot) {
        ObjectNode line = JSON.createObjectNode().put("domain", domain).put("tenant", "tenant-1").put("line", 2)
                .put("connector", "lab-powerdns").put("zone", domain).put("target", target).put("outcome", "discovered")
                .put("classification", snapshot.classification().name()).put("reason", snapshot.reason());
        line.set("facts", CODEC.toTree(snapshot));
        return JSON.writeValueAsString(line);
    }

}
