package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StagedPlan;
import dev.mxshift.model.testing.Gen;
import dev.mxshift.model.testing.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every plan the generator makes keeps mail flowing, drops the legacy MX only after a verified step, and rolls back exactly. */
class PlanPropertiesTest {

    /** One discovered domain and the operator's TTL options; {@code restoredTtl} null keeps the discovered TTL. */
    record DiscoveredDomain(String name, String letter, boolean preferenceTen, long discoveredTtl, long lowered, Long restoredTtl) {
    }

    private static final Gen<DiscoveredDomain> DOMAINS = Gen.tuple(
            Gen.strings(Gen.chars('a', 'z'), 1, 20),
            Gen.elements("e", "h", "i", "o", "r"),
            Gen.booleans(),
            Gen.longs(0, 172_800),
            Gen.longs(30, 3_600),
            Gen.longs(30, 86_400).orNull(0.5))
            .map(t -> new DiscoveredDomain(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), t.get(5)));

    @Test
    void everyPlanIsSafeAndItsRollbackRestoresTheDiscoveredSetByteForByte() {
        Property.forAll(DOMAINS).tries(500).check(PlanPropertiesTest::planIsSafeAndRollsBackExactly);
    }

    private static void planIsSafeAndRollsBackExactly(DiscoveredDomain d) {
        DomainName domain = DomainName.of(d.name() + ".example");
        DomainName legacy = DomainName.of(d.name() + "-example.mail.protection.outlook.com");
        DomainName target = DomainName.of(d.name() + "-example." + d.letter() + "-v1.mx.microsoft");
        MxRecordSet discovered = MxRecordSet.of(domain, d.discoveredTtl(), new MxRecord(d.preferenceTen() ? 10 : 0, legacy));
        PlanDecision decision = PlanGenerator.decide(PlanGeneratorTest.discovered(domain, target,
                MxClassification.LEGACY_EXCHANGE_ONLINE, discovered), new PlanOptions(d.lowered(), d.restoredTtl()));
        assertThat(decision).isInstanceOf(PlanDecision.Planned.class);
        StagedPlan plan = ((PlanDecision.Planned) decision).plan();

        MxRecordSet live = discovered;
        boolean targetWrittenAndVerified = false;
        for (PlanStep step : plan.steps()) {
            if (step instanceof PlanStep.ChangeMx change) {
                assertThat(change.expectedBefore()).isEqualTo(live);
                assertThat(change.target().isEmpty()).as("step %s empties the MX set", step.describe()).isFalse();
                if (!change.target().hasLegacyHost()) {
                    assertThat(targetWrittenAndVerified).as("legacy dropped by %s before a verified step added %s", step.describe(), target).isTrue();
                    assertThat(change.target().hosts()).contains(target);
                }
                assertThat(change.target().ttl()).isGreaterThanOrEqualTo(Math.min(30, d.discoveredTtl()));
                live = change.target();
                // Every write is verified before the next step; a write that leaves the target in place counts.
                targetWrittenAndVerified = live.hosts().contains(target);
            }
        }
        assertThat(live).isEqualTo(MxRecordSet.of(domain, d.restoredTtl() != null ? d.restoredTtl() : d.discoveredTtl(), new MxRecord(0, target)));

        for (PlanStep step : plan.rollback()) {
            if (step instanceof PlanStep.ChangeMx change) {
                assertThat(change.expectedBefore()).isEqualTo(live);
                assertThat(change.target().isEmpty()).isFalse();
                live = change.target();
            }
        }
        assertThat(live.toRecordSet().toString()).isEqualTo(discovered.toRecordSet().toString());
    }
}
