package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StagedPlan;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

/** Every plan the generator makes keeps mail flowing, drops the legacy MX only after a verified step, and rolls back exactly. */
class PlanPropertiesTest {

    @Provide
    Arbitrary<String> labels() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20);
    }

    @Provide
    Arbitrary<String> letters() {
        return Arbitraries.of("e", "h", "i", "o", "r");
    }

    @Provide
    Arbitrary<Long> restored() {
        return Arbitraries.longs().between(30, 86_400).injectNull(0.5);
    }

    @Property(tries = 500)
    void everyPlanIsSafeAndItsRollbackRestoresTheDiscoveredSetByteForByte(
            @ForAll("labels") String name, @ForAll("letters") String letter, @ForAll boolean preferenceTen,
            @ForAll @LongRange(min = 0, max = 172_800) long discoveredTtl, @ForAll @LongRange(min = 30, max = 3_600) long lowered,
            @ForAll("restored") Long restoredTtl) {
        DomainName domain = DomainName.of(name + ".example");
        DomainName legacy = DomainName.of(name + "-example.mail.protection.outlook.com");
        DomainName target = DomainName.of(name + "-example." + letter + "-v1.mx.microsoft");
        MxRecordSet discovered = MxRecordSet.of(domain, discoveredTtl, new MxRecord(preferenceTen ? 10 : 0, legacy));
        PlanDecision decision = PlanGenerator.decide(PlanGeneratorTest.discovered(domain, target,
                MxClassification.LEGACY_EXCHANGE_ONLINE, discovered), new PlanOptions(lowered, restoredTtl));
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
                assertThat(change.target().ttl()).isGreaterThanOrEqualTo(Math.min(30, discoveredTtl));
                live = change.target();
                // Every write is verified before the next step; a write that leaves the target in place counts.
                targetWrittenAndVerified = live.hosts().contains(target);
            }
        }
        assertThat(live).isEqualTo(MxRecordSet.of(domain, restoredTtl != null ? restoredTtl : discoveredTtl, new MxRecord(0, target)));

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
