package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.MxClassification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DryRunReportTest {

    @Test
    void theReportShowsEachDomainsPlanOrBlockAndCountsPerTenantInTextAndJson() {
        DomainName contoso = DomainName.of("contoso.com");
        DomainName fabrikam = DomainName.of("fabrikam.com");
        PlanDecision planned = PlanGenerator.decide(PlanGeneratorTest.discovered(contoso, PlanGeneratorTest.TARGET,
                MxClassification.LEGACY_EXCHANGE_ONLINE, MxRecordSet.of(contoso, 3600, new MxRecord(0, PlanGeneratorTest.LEGACY))),
                PlanOptions.defaults());
        PlanDecision blocked = PlanGenerator.decide(PlanGeneratorTest.discovered(fabrikam, null,
                MxClassification.LEGACY_EXCHANGE_ONLINE, MxRecordSet.of(fabrikam, 3600,
                        new MxRecord(0, DomainName.of("fabrikam-com.mail.protection.outlook.com")))), PlanOptions.defaults());
        DryRunReport report = new DryRunReport(List.of(
                new DryRunReport.Entry(TenantId.of("acme"), contoso, planned),
                new DryRunReport.Entry(TenantId.of("acme"), fabrikam, blocked)));

        String checksum = ((PlanDecision.Planned) planned).plan().checksum();
        assertThat(report.text())
                .contains("contoso.com: 8 steps to contoso-com.o-v1.mx.microsoft, plan " + checksum)
                .contains("fabrikam.com: blocked, nothing will change", "TARGET_UNKNOWN", "to do: run Enable-DnssecForVerifiedDomain")
                .containsPattern("acme\\s+1 / 1");
        Map<String, Object> json = report.json();
        assertThat(json.get("tenants")).isEqualTo(Map.of("acme", Map.of("planned", 1, "blocked", 1)));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> domains = (List<Map<String, Object>>) json.get("domains");
        assertThat(domains).extracting(d -> d.get("outcome")).containsExactly("planned", "blocked");
        assertThat(domains.get(0)).containsEntry("checksum", checksum);
        assertThat((List<?>) domains.get(0).get("rollback")).hasSize(6);
    }
}
