package dev.mxshift.operator;

import dev.mxshift.discovery.sweep.SweepFinding;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.event.LegacyReferencesFound;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.workflow.MigrationState;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which domain a finding is recorded on, and that only a change is appended (a repeat appends nothing). */
class LegacyReferencesRecorderTest {

    private static MigrationState requested(String domain, String zone) {
        DomainHistory history = DomainHistory.of(DomainName.of(domain));
        history.add(new MigrationRequested(ProviderRef.of("lab-powerdns", zone), Fixtures.targetHostOf(DomainName.of(domain)), "wave-1",
                List.of(), "inventory tenants.csv"));
        return history.state();
    }

    private static SweepFinding finding(String zone, String owner) {
        return new SweepFinding(zone, owner, "CNAME", 3600, "x.mail.protection.outlook.com.", SweepFinding.Kind.ALIAS, "x.mail.protection.outlook.com",
                owner + " aliases the legacy host", "alias " + owner + " to the mx.microsoft host", SweepFinding.Confidence.CERTAIN);
    }

    @Test
    void aFindingGoesToTheClosestEnclosingDomainOfItsZoneAndOnlyChangesAreAppended() {
        Map<DomainName, MigrationState> states = new LinkedHashMap<>();
        for (MigrationState s : List.of(requested("contoso.com", "contoso.com"), requested("eu.contoso.com", "contoso.com"),
                requested("fabrikam.com", "fabrikam.com"), requested("unswept.com", "unswept.com"))) {
            states.put(s.domain(), s);
        }
        Map<String, List<SweepFinding>> swept = Map.of(
                "contoso.com", List.of(finding("contoso.com", "relay.contoso.com"), finding("contoso.com", "smtp.eu.contoso.com"),
                        finding("contoso.com", "eu.contoso.com")),
                "fabrikam.com", List.of(),
                "gateway.net", List.of(finding("gateway.net", "mx1.gateway.net")));

        LegacyReferencesRecorder.Plan plan = LegacyReferencesRecorder.decide(states, swept);

        assertThat(plan.changed()).containsOnlyKeys(DomainName.of("contoso.com"), DomainName.of("eu.contoso.com"));
        assertThat(plan.changed().get(DomainName.of("contoso.com"))).extracting(r -> r.owner()).containsExactly("relay.contoso.com");
        assertThat(plan.changed().get(DomainName.of("eu.contoso.com"))).extracting(r -> r.owner()).containsExactly("eu.contoso.com", "smtp.eu.contoso.com");
        assertThat(plan.unchanged()).as("fabrikam.com: nothing found, nothing recorded before").isEqualTo(1);
        assertThat(plan.atNoDomain()).extracting(SweepFinding::owner).containsExactly("mx1.gateway.net");

        // once recorded, the same sweep appends nothing; a zone whose references were fixed gets an empty list once
        plan.changed().forEach((domain, references) -> {
            // the state as the log carries it after the event
            states.put(domain, dev.mxshift.model.workflow.Workflow.emit(states.get(domain), states.get(domain).tenant(),
                    new LegacyReferencesFound(references, "sweep"), java.util.UUID.randomUUID(), null, DomainHistory.EPOCH,
                    dev.mxshift.model.serde.EventCodec.CURRENT_SCHEMA_VERSION).state());
        });
        assertThat(LegacyReferencesRecorder.decide(states, swept).changed()).isEmpty();
        Map<DomainName, List<dev.mxshift.model.event.LegacyReference>> fixed = LegacyReferencesRecorder.decide(states,
                Map.of("contoso.com", List.of())).changed();
        assertThat(fixed).containsOnlyKeys(DomainName.of("contoso.com"), DomainName.of("eu.contoso.com"));
        assertThat(fixed.values()).allSatisfy(references -> assertThat(references).isEmpty());
    }
}
