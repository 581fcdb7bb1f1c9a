package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.DnssecProgress;
import dev.mxshift.model.workflow.EventVerdict;
import dev.mxshift.model.workflow.GateHold;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.operator.api.Touched;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Reads: counts per state, tenant and DNSSEC phase, the domains a query selects, one domain with its DNSSEC stage and history. */
@RestController
@RequestMapping("/api/v1")
class DomainsEndpoint {

    private final EventLog log;

    DomainsEndpoint(EventLog log) {
        this.log = log;
    }

    @GetMapping("/status")
    public Callable<ResponseEntity<String>> status(@AuthenticationPrincipal ApiTokens.Caller caller, @RequestParam Map<String, String> query,
                                                   HttpServletRequest request) {
        Selection selection = ApiScope.selection(caller, query, null);
        return () -> {
            List<MigrationState> chosen = visible(caller, selection);
            Touched.of(request).count(chosen.size());
            StatusCounts counts = StatusCounts.of(chosen);
            Map<DomainName, GateHold> holds = StatusCommand.gateHoldsFor(chosen, log);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("domains", chosen.size());
            out.put("byStatus", counts.byStatus());
            out.put("byTenant", counts.byTenant());
            out.put("byDnssec", counts.byDnssec());
            out.put("heldByWaveGate", chosen.stream().filter(s -> StatusCommand.holdOn(s, holds) != null).count());
            out.put("notDaneProtected", chosen.stream().filter(StatusCommand::notDaneProtected).count());
            out.put("legacyReferencesByTenant", LegacyReferenceCounts.byTenant(chosen));
            // as status --json has them; a finding's action is the hoster's text, redacted for a tenant as every detail is
            out.put("stoppedByReason", StoppedGroups.of(chosen).stream().map(g -> new StoppedGroups.Group(g.reason(), g.status(), g.count(),
                    ApiScope.redactFor(caller, g.action()), g.first(), g.listCommand())).toList());
            return ApiScope.ok(out);
        };
    }

    @GetMapping("/domains")
    public Callable<ResponseEntity<String>> domains(@AuthenticationPrincipal ApiTokens.Caller caller, @RequestParam Map<String, String> query,
                                                    HttpServletRequest request) {
        Selection selection = ApiScope.selection(caller, query, null);
        return () -> {
            List<MigrationState> chosen = visible(caller, selection);
            chosen.forEach(s -> Touched.of(request).add(s.domain().value()));
            Map<DomainName, GateHold> holds = StatusCommand.gateHoldsFor(chosen, log);
            // asked by DNSSEC phase (who waits for a DS at the parent): since when, from the histories
            Map<DomainName, DnssecProgress> since = selection.dnssecPhases.isEmpty() || chosen.isEmpty() ? Map.of()
                    : StatusCommand.dnssecSince(chosen, log);
            return ApiScope.ok(chosen.stream().map(s -> StatusCommand.line(s, ApiScope.forCaller(caller, StatusCommand.holdOn(s, holds)),
                            since.getOrDefault(s.domain(), DnssecProgress.of(s))))
                    .map(l -> redacted(caller, l)).toList());
        };
    }

    @GetMapping("/domains/{domain}")
    public Callable<ResponseEntity<String>> domain(@AuthenticationPrincipal ApiTokens.Caller caller, @PathVariable("domain") String name,
                                                   HttpServletRequest request) {
        DomainName domain = ApiScope.domainName(name);
        Touched.of(request).add(domain.value());
        return () -> {
            MigrationState state = log.snapshot().states().get(domain);
            if (state == null || !ApiScope.visibleTo(caller).test(state)) {
                // the same answer for another tenant's domain as for none: a tenant learns nothing of the others
                throw ApiScope.notFound(caller, domain.value());
            }
            List<Map<String, Object>> history = new ArrayList<>();
            List<EventEnvelope> events = log.history(domain);
            // the workflow's own reading of the history ({@link EventVerdict}), as the history command marks it
            for (EventVerdict v : EventVerdict.of(events)) {
                EventEnvelope e = v.event();
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("sequence", e.sequence());
                entry.put("time", e.occurredAt().toString());
                entry.put("type", e.type());
                entry.put("summary", ApiScope.redactFor(caller, HistoryCommand.summary(e)));
                entry.put("actor", e.actor() == null ? null : Map.of("name", e.actor().name(), "channel", e.actor().channel().name()));
                entry.put("stateAfter", ApiScope.redactFor(caller, OperatorAction.describe(v.applied() ? e.state() : v.stateAfter())));
                entry.put("ignoredBecause", v.ignoredBecause());
                history.add(entry);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("domain", domain.value());
            out.put("tenant", state.tenant() == null ? null : state.tenant().value());
            out.put("status", state.status().name());
            GateHold hold = ApiScope.forCaller(caller, StatusCommand.holdOn(state, StatusCommand.gateHoldsFor(List.of(state), log)));
            out.put("detail", hold != null ? StatusCommand.heldByGate(hold) : ApiScope.redactFor(caller, StatusCommand.detail(state)));
            if (hold != null) {
                out.put("gateHold", Map.of("reason", hold.reason(), "since", hold.since().toString()));
            }
            out.put("dnssec", StatusCommand.Dnssec.of(events.isEmpty() ? DnssecProgress.of(state) : DnssecProgress.of(events))
                    .redactedFor(text -> ApiScope.redactFor(caller, text)));
            out.put("records", records(state, caller));
            out.put("legacyReferences", state.legacyReferences());
            out.put("plan", plan(state));
            out.put("history", history);
            return ApiScope.ok(out);
        };
    }

    /**
     * The MX records discovered and as the workflow now knows them, and for a conflict both versions (invariant 3): what
     * the plan expected and what the provider held.
     */
    static Map<String, Object> records(MigrationState state, ApiTokens.Caller caller) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("discovered", state.discoveredMx() == null ? null : state.discoveredMx().toString());
        out.put("now", state.liveMx() == null ? null : state.liveMx().toString());
        out.put("target", state.targetHost() == null ? null : state.targetHost().value());
        if (state.failure() != null && (state.failure().expected() != null || state.failure().actual() != null)) {
            out.put("expected", state.failure().expected() == null ? null : ApiScope.redactFor(caller, state.failure().expected().toString()));
            out.put("actual", state.failure().actual() == null ? null : ApiScope.redactFor(caller, state.failure().actual().toString()));
        }
        return out;
    }

    /**
     * The plan and its rollback, step by step, and where it stands: each step of the running direction is done, current
     * or to do (the other direction's steps are listed as they are); null before a plan exists.
     */
    static Map<String, Object> plan(MigrationState state) {
        if (state.plan() == null) {
            return null;
        }
        boolean rollingBack = state.direction() == dev.mxshift.model.event.Direction.ROLLBACK;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("direction", state.direction().name());
        out.put("steps", steps(state.plan().steps(), rollingBack ? -1 : state.stepIndex(), state));
        List<dev.mxshift.model.plan.PlanStep> rollback = rollingBack && state.rollbackSteps() != null ? state.rollbackSteps() : state.plan().rollback();
        out.put("rollback", steps(rollback, rollingBack ? state.stepIndex() : -1, state));
        return out;
    }

    private static List<Map<String, Object>> steps(List<dev.mxshift.model.plan.PlanStep> steps, int current, MigrationState state) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("number", i + 1);
            step.put("step", steps.get(i).describe());
            String standing = current < 0 ? "planned"
                    : i < current || state.status() == dev.mxshift.model.workflow.WorkflowStatus.COMPLETED
                    || state.status() == dev.mxshift.model.workflow.WorkflowStatus.ROLLED_BACK ? "done"
                    : i == current ? (state.status().stopped() ? "stopped" : "current") : "to do";
            step.put("standing", standing);
            out.add(step);
        }
        return out;
    }

    /** A line as the caller may see it: a tenant's token never reads the hoster's secrets' names or other tenants' text. */
    static StatusCommand.Line redacted(ApiTokens.Caller caller, StatusCommand.Line l) {
        return new StatusCommand.Line(l.domain(), l.tenant(), l.status(), ApiScope.redactFor(caller, l.detail()),
                l.dnssec().redactedFor(text -> ApiScope.redactFor(caller, text)));
    }

    private List<MigrationState> visible(ApiTokens.Caller caller, Selection selection) {
        return log.snapshot().states().values().stream().filter(ApiScope.visibleTo(caller))
                .filter(s -> selection.empty() || selection.matches(s)).toList();
    }
}
