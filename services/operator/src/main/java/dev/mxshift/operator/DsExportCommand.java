package dev.mxshift.operator;

import dev.mxshift.model.plan.ExternalAction;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The DS records waiting for a person at the registrar (the DNSSEC stage's manual path), as one CSV for a batch
 * submission: per parent zone (a registrar's form usually covers one TLD), or per tenant. After submitting them,
 * {@code confirm --awaiting-confirmation} (with the same --tenant) lets mxshift check each parent.
 */
@Command(name = "ds-export", mixinStandardHelpOptions = true,
        description = {"The DS records of the domains waiting for a DS to be submitted (or removed) at the registrar, as CSV:",
                "tenant,domain,parent,action,key_tag,algorithm,digest_type,digest. Submit them, then confirm the domains."},
        footer = {"", "Examples:", "  ds-export --parent com > com-ds.csv", "  ds-export --tenant tenant-contoso",
                "  confirm --tenant tenant-contoso --awaiting-confirmation"})
final class DsExportCommand extends EventLogCommand implements Callable<Integer> {

    @Option(names = "--parent", paramLabel = "ZONE", description = "only the domains under this parent zone (e.g. com)")
    String parent;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "only this tenant's domains")
    String tenant;

    /** One DS line of the export. */
    record Row(String tenant, String domain, String parent, String action, String ds) {
        String csv() {
            String[] f = ds.trim().split("\\s+");
            return String.join(",", tenant, domain, parent, action, f[0], f[1], f[2], f[3].toUpperCase(Locale.ROOT));
        }
    }

    static final String HEADER = "tenant,domain,parent,action,key_tag,algorithm,digest_type,digest";

    /** Pure: the rows for the domains that wait for a DS action at the registrar, filtered, sorted by parent and domain. */
    static List<Row> rows(Collection<MigrationState> states, String parentZone, String tenantId) {
        String wantedParent = parentZone == null ? null : parentZone.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        List<Row> rows = new ArrayList<>();
        for (MigrationState s : states) {
            if (!(Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation awaiting)
                    || awaiting.action() != ExternalAction.SUBMIT_DS_AT_REGISTRAR && awaiting.action() != ExternalAction.REMOVE_DS_AT_REGISTRAR) {
                continue;
            }
            PlanStep step = s.activeSteps().get(awaiting.step());
            String zoneParent = step instanceof PlanStep.PublishDs p ? p.parent().value() : ((PlanStep.WithdrawDs) step).parent().value();
            if (wantedParent != null && !wantedParent.equals(zoneParent) || tenantId != null && !tenantId.equals(s.tenant().value())) {
                continue;
            }
            String action = awaiting.action() == ExternalAction.SUBMIT_DS_AT_REGISTRAR ? "add" : "remove";
            if (s.dnssecOrNone().keys() == null) {
                continue;
            }
            for (String ds : s.dnssecOrNone().keys().ds()) {
                rows.add(new Row(s.tenant().value(), s.domain().value(), zoneParent, action, ds));
            }
        }
        rows.sort(Comparator.comparing(Row::parent).thenComparing(Row::domain).thenComparing(Row::ds));
        return rows;
    }

    @Override
    public Integer call() {
        List<Row> rows;
        try (EventLog log = kafka.eventLog()) {
            rows = rows(log.snapshot().states().values(), parent, tenant);
        }
        PrintWriter out = out();
        out.println(HEADER);
        rows.forEach(r -> out.println(r.csv()));
        err().println(rows.stream().map(Row::domain).distinct().count() + " domain(s) wait for a DS action at the registrar"
                + (parent == null ? "" : " under " + parent) + (tenant == null ? "" : " of " + tenant));
        return 0;
    }
}
