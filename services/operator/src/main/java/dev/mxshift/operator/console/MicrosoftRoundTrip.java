package dev.mxshift.operator.console;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.plan.ExternalAction;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.StopReason;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.recordgeneration.DnssecEnablementScript;

import java.util.Collection;
import java.util.List;

/**
 * The Microsoft side of a tenant's migration in one place: the domains waiting for Microsoft's new MX host (preflight's
 * TARGET_UNKNOWN) and those waiting for {@code Enable-SmtpDaneInbound}, and the Exchange Online PowerShell that does both
 * for the tenant: {@link DnssecEnablementScript}'s (which exports the CSV the import reads back), and the cmdlet per
 * domain waiting for DANE. A partner runs it in a session opened with {@code -DelegatedOrganization} for its customer.
 */
public final class MicrosoftRoundTrip {

    public static final String TARGET_UNKNOWN = "TARGET_UNKNOWN";

    private MicrosoftRoundTrip() {
    }

    public static List<DomainName> waitingForTarget(Collection<MigrationState> states) {
        // By the one reason code: a domain not eligible (null MX, already migrated, ...) also lacks a target, but Microsoft's
        // enablement would not move it, so it is not asked of Microsoft.
        return states.stream().filter(s -> s.status() == WorkflowStatus.BLOCKED && s.failure() == null
                        && StopReason.codes(StopReason.of(s)).contains(TARGET_UNKNOWN))
                .map(MigrationState::domain).sorted(java.util.Comparator.comparing(DomainName::value)).toList();
    }

    public static List<DomainName> waitingForDane(Collection<MigrationState> states) {
        String waiting = "AWAITING_" + ExternalAction.ENABLE_SMTP_DANE_INBOUND.name();
        return states.stream().filter(s -> waiting.equals(ReasonGroups.waitingFor(s)))
                .map(MigrationState::domain).sorted(java.util.Comparator.comparing(DomainName::value)).toList();
    }

    /** The script for one tenant; {@code delegatedOrganization} (null: the tenant's own administrator runs it) opens a partner's session. */
    public static String script(TenantId tenant, List<DomainName> targetUnknown, List<DomainName> dane, DomainName delegatedOrganization) {
        StringBuilder ps = new StringBuilder();
        if (delegatedOrganization != null) {
            ps.append("# A partner's session for its customer ").append(tenant).append(": sign in with the partner's account.\r\n")
                    .append("Connect-ExchangeOnline -DelegatedOrganization '").append(delegatedOrganization.value()).append("'\r\n");
        } else {
            ps.append("# Connect-ExchangeOnline as an administrator of tenant ").append(tenant).append(" first.\r\n");
        }
        if (targetUnknown.isEmpty() && dane.isEmpty()) {
            return ps.append("# Nothing of tenant ").append(tenant).append(" waits for Microsoft.\r\n").toString();
        }
        if (!targetUnknown.isEmpty()) {
            ps.append(DnssecEnablementScript.forTenant(tenant, targetUnknown));
        }
        if (!dane.isEmpty()) {
            ps.append("# ").append(dane.size()).append(" domain(s) wait for Enable-SmtpDaneInbound; confirm them afterwards (the console's")
                    .append(" Confirm, or ./mxshift confirm --tenant ").append(tenant).append(" --awaiting-confirmation).\r\n");
            for (DomainName d : dane) {
                ps.append("Enable-SmtpDaneInbound -DomainName '").append(d.unicode()).append("'\r\n");
            }
        }
        return ps.toString();
    }
}
