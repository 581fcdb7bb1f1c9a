package dev.mxshift.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioCatalogueTest {

    @Test
    void theBuiltInCatalogueCoversTheStatesTheIssueLists() {
        List<ScenarioSpec> catalogue = ScenarioCatalogue.builtIn();
        assertThat(catalogue).extracting(ScenarioSpec::name).contains(
                "eligible-signed", "eligible-unsigned", "signed-no-ds", "bogus-expired", "bogus-ds-mismatch",
                "bogus-missing-rrsig", "already-migrated", "third-party-gateway", "fallback-mx", "null-mx", "no-mx",
                "mx-cname", "nxdomain", "lame-delegation", "mta-sts-wildcard", "mta-sts-exact", "hyphenated", "idn",
                "target-tlsa-mismatch", "target-pkix-only", "rfc2136-signed", "two-servers");
        ScenarioCatalogue.checkUnique(catalogue);
        assertThat(catalogue).allSatisfy(s -> assertThat(s.expect()).containsKeys("classification", "unbound-mx"));
    }

    @Test
    void aScenarioFileWithAnUnknownKeySaysWhichAndWhere(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, "scenarios:\n  - name: x\n    domain: x.com\n    colour: blue\n");
        assertThatThrownBy(() -> ScenarioCatalogue.read(file))
                .hasMessageContaining(file.toString()).hasMessageContaining("scenarios[1].colour").hasMessageContaining("near line");
    }

    @Test
    void aFileWithoutScenariosOrANamelessScenarioIsRefused(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.yaml");
        Files.writeString(empty, "other: 1\n");
        assertThatThrownBy(() -> ScenarioCatalogue.read(empty)).hasMessageContaining("other");
        Path nameless = dir.resolve("nameless.yaml");
        Files.writeString(nameless, "scenarios:\n  - domain: x.com\n");
        assertThatThrownBy(() -> ScenarioCatalogue.read(nameless)).hasMessageContaining("has no name");
    }

    @Test
    void theSameDomainTwiceIsRefusedAlsoAfterIdnNormalisation() {
        ScenarioSpec unicode = new ScenarioSpec("a", "bücher.de", "t", null, null, List.of(), null, null, null, null);
        ScenarioSpec alabel = new ScenarioSpec("b", "XN--BCHER-KVA.DE.", "t", null, null, List.of(), null, null, null, null);
        assertThatThrownBy(() -> ScenarioCatalogue.checkUnique(List.of(unicode, alabel)))
                .hasMessageContaining("xn--bcher-kva.de").hasMessageContaining("'a'").hasMessageContaining("'b'");
    }

    @Test
    void generatedTenantsFollowTheMixAndAreUnique() {
        List<ScenarioSpec> catalogue = ScenarioCatalogue.builtIn();
        List<ScenarioSpec> tenants = ScenarioCatalogue.generate(300, Map.of("eligible-signed", 2, "no-mx", 1), catalogue);
        assertThat(tenants).hasSize(300);
        assertThat(tenants.stream().filter(t -> t.name().equals("eligible-signed")).count()).isEqualTo(200);
        assertThat(tenants.get(0).domain()).isEqualTo("t1-" + tenants.get(0).name() + ".com");
        ScenarioCatalogue.checkUnique(tenants);
        assertThatThrownBy(() -> ScenarioCatalogue.generate(5, Map.of("no-such", 1), catalogue))
                .hasMessageContaining("'no-such'");
    }

    @Test
    void badTokensInAScenarioAreNamed() {
        ScenarioSpec badHosting = new ScenarioSpec("odd", "odd.com", "t", null, "cloud", List.of(), null, null, null, null);
        LabLayout layout = LabLayout.defaults(Path.of("/tmp/unused"));
        LabPki pki = LabPki.create();
        assertThatThrownBy(() -> LabInternet.build(layout, pki, List.of(badHosting)))
                .hasMessageContaining("scenario 'odd'").hasMessageContaining("hosting 'cloud'");
        // Hosts are checked as DNS holds host names (ab--cd and the derived xn--bcher-kva-de pass); this one is none.
        ScenarioSpec badKey = new ScenarioSpec("odd-key", "odd.com", "t", null, null, List.of("0 legacy"), null, "odd!com", null, null);
        assertThatThrownBy(() -> LabInternet.build(layout, pki, List.of(badKey)))
                .hasMessageContaining("scenario 'odd-key'").hasMessageContaining("'!'").hasMessageContaining("legacy-key");
        ScenarioSpec badMx = new ScenarioSpec("odd", "odd.com", "t", null, null, List.of("0 target"), null, null, null, null);
        assertThatThrownBy(() -> LabInternet.build(layout, pki, List.of(badMx)))
                .hasMessageContaining("no target is declared");
    }

    @Test
    void theBuiltInCatalogueDeclaresChAsACdsScanningRegistryAndComAsAManualOne() {
        List<RegistryPolicy> registries = ScenarioCatalogue.builtInRegistries();
        assertThat(registries).filteredOn(r -> r.tld().equals("ch")).singleElement().satisfies(ch -> {
            assertThat(ch.dsPolicy()).isEqualTo(RegistryPolicy.DsPolicy.CDS);
            assertThat(ch.observations()).isGreaterThanOrEqualTo(2);
            assertThat(ch.dsTtl()).isEqualTo(2);
            assertThat(ch.authenticatedBootstrap()).as("RFC 9615 signals taken, as SWITCH does").isTrue();
        });
        assertThat(registries).filteredOn(r -> r.tld().equals("com")).singleElement()
                .satisfies(com -> assertThat(com.dsPolicy()).isEqualTo(RegistryPolicy.DsPolicy.MANUAL));
    }

    @Test
    void aBadRegistryValueNamesTheFileAndTheField(@TempDir Path dir) throws Exception {
        String scenario = "scenarios:\n  - name: x\n    domain: x.com\n";
        Map<String, String> cases = Map.of(
                "registries:\n  - {tld: ch, ds-policy: automatic}\n", "registries[1].ds-policy: 'automatic' is not one of cds, manual",
                "registries:\n  - {tld: ch, ds-policy: cds}\n  - {tld: se, ds-policy: cds, observations: 0}\n", "registries[2].observations: 0",
                "registries:\n  - {tld: ch, ds-policy: cds, scan-interval: soon}\n", "registries[1].scan-interval: 'soon'",
                "registries:\n  - {tld: .ch, ds-policy: cds}\n", "registries[1].tld: '.ch'",
                "registries:\n  - {tld: ch, ds-policy: cds}\n  - {tld: CH, ds-policy: manual}\n", "registries[2].tld: 'ch' is declared twice",
                "registries:\n  - {tld: ch, ds-policy: cds, colour: red}\n", "registries[1].colour",
                "registries:\n  - {tld: com, ds-policy: manual, authenticated-bootstrap: true}\n",
                "registries[1].authenticated-bootstrap: a manual registry scans nothing");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = dir.resolve("registries-" + Math.abs(c.getKey().hashCode()) + ".yaml");
            Files.writeString(file, c.getKey() + scenario);
            assertThatThrownBy(() -> ScenarioCatalogue.readContents(file)).as(c.getKey())
                    .hasMessageContaining(file.toString()).hasMessageContaining(c.getValue());
        }
        Path ok = dir.resolve("ok.yaml");
        Files.writeString(ok, "registries:\n  - {tld: se, ds-policy: cds, observations: 2, scan-interval: 500ms}\n"
                + "  - {tld: cz, ds-policy: cds, authenticated-bootstrap: false}\n  - {tld: net, ds-policy: manual}\n" + scenario);
        assertThat(ScenarioCatalogue.readContents(ok).registries()).satisfiesExactly(se -> {
            assertThat(se.scanInterval()).isEqualTo(java.time.Duration.ofMillis(500));
            assertThat(se.observations()).isEqualTo(2);
            assertThat(se.authenticatedBootstrap()).isTrue();
        }, cz -> assertThat(cz.authenticatedBootstrap()).isFalse(), net -> assertThat(net.authenticatedBootstrap()).isFalse());
        assertThatThrownBy(() -> ScenarioCatalogue.merge(List.of(ScenarioCatalogue.readContents(ok), ScenarioCatalogue.readContents(ok))))
                .hasMessageContaining("registry 'se' is declared in two scenario files");
    }

    @Test
    void theDefaultMixLeavesOutScenariosUnderACdsScanningTld() {
        ScenarioSpec ch = new ScenarioSpec("eligible-ch", "x.ch", "t", null, null, List.of("0 legacy"), null, null, null, null);
        ScenarioSpec com = new ScenarioSpec("eligible-com", "x.com", "t", null, null, List.of("0 legacy"), null, null, null, null);
        assertThat(ScenarioCatalogue.defaultMix(List.of(ch, com), ScenarioCatalogue.builtInRegistries())).containsOnlyKeys("eligible-com");
        // The built-in mix is the one the benchmarks were measured with: none of the DNSSEC stage's scenarios.
        assertThat(ScenarioCatalogue.defaultMix(ScenarioCatalogue.builtIn(), ScenarioCatalogue.builtInRegistries()).keySet())
                .noneMatch(name -> name.startsWith("onboard-"));
    }
}
