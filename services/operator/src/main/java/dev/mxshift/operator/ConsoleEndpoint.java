package dev.mxshift.operator;

import dev.mxshift.model.workflow.DnssecProgress;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.operator.api.ApiProblem;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.operator.api.Touched;
import dev.mxshift.operator.console.ConsoleFeed;
import dev.mxshift.operator.console.MicrosoftRoundTrip;
import dev.mxshift.operator.console.ReasonGroups;
import dev.mxshift.operator.console.Throughput;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * What the web console reads (decision 0031): every domain the token may see as one line with what it waits for and the
 * one action its group needs, and a stream of the lines that change. Scoped exactly as the other reads: a tenant's token
 * gets its own domains, redacted as everywhere else; a filter naming another tenant is 403.
 */
@RestController
@RequestMapping("/api/v1")
class ConsoleEndpoint {

    /** A stream ends after this long; the page opens a new one and loads the list again, so nothing is missed for long. */
    static final Duration STREAM_LIFETIME = Duration.ofMinutes(30);

    /** A domain as the console shows it; {@code sequence} lets a page keep the newer of two lines it received. */
    record ConsoleLine(String domain, String tenant, String wave, String status, boolean held, boolean paused, String reason,
                       String waiting, String action, String todo, String detail, String dnssec, long sequence) {

        static ConsoleLine of(MigrationState s, ApiTokens.Caller caller) {
            ReasonGroups.NextStep next = ReasonGroups.nextStep(s);
            return new ConsoleLine(s.domain().value(), s.tenant() == null ? null : s.tenant().value(), s.wave(), s.status().name(),
                    s.held(), s.paused(), ReasonGroups.reasonCode(s), ReasonGroups.waitingFor(s), next == null ? null : next.action(),
                    next == null ? null : ApiScope.redactFor(caller, next.todo()), ApiScope.redactFor(caller, StatusCommand.detail(s)),
                    DnssecProgress.of(s).phase().word(), s.sequence());
        }
    }

    private final EventLog log;
    private final ConsoleFeed feed;
    /** The outcomes read from the event log so far, and where each partition's reading stopped: the next asks for the rest. */
    private final Throughput.Reader outcomes = new Throughput.Reader();
    private final Map<Integer, Long> outcomesReadTo = new java.util.HashMap<>();

    ConsoleEndpoint(EventLog log, ConsoleFeed feed) {
        this.log = log;
        this.feed = feed;
    }

    @GetMapping("/console/domains")
    public Callable<ResponseEntity<String>> domains(@AuthenticationPrincipal ApiTokens.Caller caller, @RequestParam Map<String, String> query,
                                                    HttpServletRequest request) {
        Predicate<MigrationState> chosen = chosen(caller, query);
        return () -> {
            List<ConsoleLine> lines = log.snapshot().states().values().stream().filter(chosen)
                    .map(s -> ConsoleLine.of(s, caller)).sorted(java.util.Comparator.comparing(ConsoleLine::domain)).toList();
            Touched.of(request).count(lines.size());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("caller", who(caller));
            out.put("domains", lines);
            return ApiScope.ok(out);
        };
    }

    @GetMapping("/console/events")
    public SseEmitter events(@AuthenticationPrincipal ApiTokens.Caller caller, @RequestParam Map<String, String> query) throws IOException {
        Predicate<MigrationState> chosen = chosen(caller, query);
        SseEmitter stream = feed.listen(caller.name(), chosen, s -> ConsoleLine.of(s, caller), who(caller), STREAM_LIFETIME);
        if (stream == null) {
            throw new ApiProblem(ApiProblem.Code.RATE_LIMITED, "this token has as many live streams open as it may; close a console page");
        }
        return stream;
    }

    /**
     * Completions and stops over time from the event log (every tenant's token: its own domains), in buckets, with the
     * current rate and the expected finish at it ({@link Throughput}); the page extends the buckets with what its stream
     * brings. The log is read once, then only what was appended since the last call.
     */
    @GetMapping("/console/throughput")
    public Callable<ResponseEntity<String>> throughput(@AuthenticationPrincipal ApiTokens.Caller caller, @RequestParam Map<String, String> query,
                                                       HttpServletRequest request) {
        // ?tenant= narrows as everywhere (another tenant's is 403); the chart counts by tenant, so no other filter applies
        String only = ApiScope.selection(caller, query, null).tenant;
        Predicate<String> tenant = t -> (caller.allTenants() || t.equals(caller.tenant())) && (only == null || only.equals(t));
        Predicate<MigrationState> visible = s -> s.tenant() != null && tenant.test(s.tenant().value());
        return () -> {
            List<Throughput.Outcome> seen;
            synchronized (outcomes) {
                log.readOn(outcomesReadTo, outcomes::accept);
                seen = outcomes.outcomes();
            }
            List<MigrationState> mine = log.snapshot().states().values().stream().filter(visible).toList();
            Touched.of(request).count(mine.size());
            int remaining = (int) mine.stream().filter(s -> !s.status().terminal() && !s.status().stopped()).count();
            return ApiScope.ok(Throughput.chart(seen, tenant, remaining, java.time.Instant.now()));
        };
    }

    /**
     * The Microsoft round trip of one tenant (a tenant's token: its own): who waits for Microsoft's target or for
     * Enable-SmtpDaneInbound, and the PowerShell that does both; {@code delegatedOrganization} for a partner's session.
     */
    @GetMapping("/console/microsoft")
    public Callable<ResponseEntity<String>> microsoft(@AuthenticationPrincipal ApiTokens.Caller caller, @RequestParam Map<String, String> query,
                                                      HttpServletRequest request) {
        String tenant = query.getOrDefault("tenant", caller.tenant());
        if (tenant == null || tenant.isBlank()) {
            throw ApiProblem.badRequest("say which tenant: ?tenant=...");
        }
        Predicate<MigrationState> chosen = chosen(caller, Map.of("tenant", tenant));
        String organization = query.get("delegatedOrganization");
        dev.mxshift.model.dns.DomainName delegated = organization == null || organization.isBlank() ? null : ApiScope.domainName(organization.strip());
        dev.mxshift.model.dns.TenantId id;
        try {
            id = dev.mxshift.model.dns.TenantId.of(tenant);
        } catch (RuntimeException e) {
            throw ApiProblem.badRequest("'" + tenant + "' is not a tenant id");
        }
        return () -> {
            List<MigrationState> states = log.snapshot().states().values().stream().filter(chosen).toList();
            List<dev.mxshift.model.dns.DomainName> target = MicrosoftRoundTrip.waitingForTarget(states);
            List<dev.mxshift.model.dns.DomainName> dane = MicrosoftRoundTrip.waitingForDane(states);
            Touched.of(request).count(target.size() + dane.size());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tenant", tenant);
            out.put("waitingForTarget", target.stream().map(dev.mxshift.model.dns.DomainName::value).toList());
            out.put("waitingForSmtpDaneInbound", dane.stream().map(dev.mxshift.model.dns.DomainName::value).toList());
            out.put("script", MicrosoftRoundTrip.script(id, target, dane, delegated));
            return ApiScope.ok(out);
        };
    }

    /**
     * Whether Microsoft Graph gives record generation the targets of domains waiting for them (decision 0034), and the
     * domains it gave one, of the caller's tenants. A tenant's token learns whether its own tenant is served, not the
     * others or the URL.
     */
    @GetMapping("/console/graph")
    public Callable<ResponseEntity<String>> graph(@AuthenticationPrincipal ApiTokens.Caller caller, HttpServletRequest request) {
        return () -> {
            EventLog.GraphTargets graph = log.graphTargets();
            Map<String, Object> out = new LinkedHashMap<>();
            tools.jackson.databind.JsonNode status = graph.status();
            boolean configured = status != null && status.path("configured").asBoolean(false);
            out.put("configured", configured);
            if (configured) {
                String tenants = status.path("tenants").asString("");
                if (caller.allTenants()) {
                    out.put("baseUrl", status.path("baseUrl").asString(""));
                    out.put("tenants", tenants);
                    out.put("since", status.path("since").asString(""));
                } else {
                    out.put("servesYourTenant", tenants.equals("*") || List.of(tenants.split(",")).contains(caller.tenant()));
                }
            }
            List<Map<String, String>> resolved = new java.util.ArrayList<>();
            graph.resolved().values().stream().filter(r -> caller.allTenants() || caller.tenant().equals(r.path("tenant").asString("")))
                    .forEach(r -> resolved.add(Map.of("domain", r.path("domain").asString(""), "tenant", r.path("tenant").asString(""),
                            "target", r.path("target").asString(""), "at", r.path("at").asString(""))));
            Touched.of(request).count(resolved.size());
            out.put("resolved", resolved);
            return ApiScope.ok(out);
        };
    }

    private static Predicate<MigrationState> chosen(ApiTokens.Caller caller, Map<String, String> query) {
        Selection selection = ApiScope.selection(caller, query, null);
        return ApiScope.visibleTo(caller).and(s -> selection.empty() || selection.matches(s));
    }

    private static Map<String, Object> who(ApiTokens.Caller caller) {
        Map<String, Object> who = new LinkedHashMap<>();
        who.put("name", caller.name());
        who.put("tenant", caller.tenant());
        return who;
    }
}
