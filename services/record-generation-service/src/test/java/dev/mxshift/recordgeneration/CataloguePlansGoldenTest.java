package dev.mxshift.recordgeneration;

import dev.mxshift.lab.LabInternet;
import dev.mxshift.lab.LabLayout;
import dev.mxshift.lab.LabPki;
import dev.mxshift.lab.LabZone;
import dev.mxshift.lab.ScenarioCatalogue;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.workflow.MigrationState;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A golden plan (or blocked decision) for every scenario of the lab's catalogue, from the MX set its zone
 * publishes and the classification the catalogue expects. Plans change only on purpose: write new files with
 * {@code -Dmxshift.golden.update=true} and review the diff.
 */
class CataloguePlansGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/plans");
    private static final boolean UPDATE = Boolean.getBoolean("mxshift.golden.update");

    @TestFactory
    Stream<DynamicTest> everyCatalogueScenarioHasItsGoldenPlan() {
        LabInternet internet = LabInternet.build(LabLayout.defaults(Path.of("unused")), LabPki.create(), ScenarioCatalogue.builtIn());
        return internet.tenants().stream().map(tenant -> DynamicTest.dynamicTest(tenant.spec().name(), () -> {
            MxRecordSet mx = publishedMx(internet.zone(tenant.zone()), tenant.domain());
            MxClassification classification = MxClassification.valueOf(tenant.spec().expect().get("classification"));
            DomainName target = tenant.targetHost() == null ? null : DomainName.of(tenant.targetHost().toString(true));
            MigrationState state = PlanGeneratorTest.discovered(tenant.domain(), target, classification,
                    classification.eligible() || (mx != null && !mx.isEmpty()) ? mx : null, publishedMtaSts(internet, tenant));
            String rendered = DryRunReport.render(tenant.domain(), PlanGenerator.decide(state, PlanOptions.defaults()));
            Path file = GOLDEN.resolve(tenant.spec().name() + ".txt");
            if (UPDATE) {
                Files.createDirectories(GOLDEN);
                Files.writeString(file, rendered);
            }
            assertThat(file).as("golden plan for %s; write it with -Dmxshift.golden.update=true", tenant.spec().name()).exists();
            assertThat(rendered).isEqualTo(Files.readString(file));
        }));
    }

    /** The scenario's MTA-STS as discovery would see it: the _mta-sts TXT the zone publishes and the policy nginx serves. */
    private static dev.mxshift.model.event.MtaStsSnapshot publishedMtaSts(LabInternet internet, LabInternet.Tenant tenant) {
        if (tenant.spec().mtaSts() == null) {
            return null;
        }
        Record txt = internet.zone(tenant.zone()).records().stream()
                .filter(r -> r.getType() == org.xbill.DNS.Type.TXT && r.getName().toString(true).equals("_mta-sts." + tenant.domain().value()))
                .findFirst().orElseThrow();
        var spec = tenant.spec().mtaSts();
        return new dev.mxshift.model.event.MtaStsSnapshot(
                new dev.mxshift.model.dns.RecordSet("_mta-sts." + tenant.domain().value(), "TXT", txt.getTTL(), List.of(txt.rdataToString())),
                new dev.mxshift.model.dns.MtaStsPolicy(dev.mxshift.model.dns.MtaStsPolicy.Mode.valueOf(spec.mode().toUpperCase(java.util.Locale.ROOT)),
                        tenant.mtaStsPatterns(), spec.maxAge() == null ? 604800 : spec.maxAge()));
    }

    /** The zone's MX RRset as a value (null for a zone that does not exist; null MX is not a plannable set). */
    private static MxRecordSet publishedMx(LabZone zone, DomainName domain) {
        if (zone == null) {
            return null;
        }
        List<MxRecord> records = new ArrayList<>();
        long ttl = LabInternet.TTL;
        for (Record r : zone.records()) {
            if (r instanceof MXRecord mx && r.getName().equals(zone.origin())) {
                if (mx.getTarget().equals(org.xbill.DNS.Name.root)) {
                    return null;
                }
                records.add(new MxRecord(mx.getPriority(), DomainName.of(mx.getTarget().toString(true))));
                ttl = r.getTTL();
            }
        }
        return new MxRecordSet(domain, ttl, records);
    }
}
