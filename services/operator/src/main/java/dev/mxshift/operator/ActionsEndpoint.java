package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.Actor;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.operator.api.ApiProblem;
import dev.mxshift.operator.api.ApiSettings;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.operator.api.RequestBodies;
import dev.mxshift.operator.api.Touched;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.concurrent.Callable;

/** The operator's changes over HTTP, decided per domain by the same {@link Operations} as the command line. */
@RestController
@RequestMapping("/api/v1")
class ActionsEndpoint {

    private final EventLog log;
    private final RequestBodies bodies;
    private final ApiSettings settings;

    ActionsEndpoint(EventLog log, RequestBodies bodies, ApiSettings settings) {
        this.log = log;
        this.bodies = bodies;
        this.settings = settings;
    }

    @PostMapping("/actions/{action}")
    public Callable<ResponseEntity<String>> act(@AuthenticationPrincipal ApiTokens.Caller caller, @PathVariable("action") String name,
                                                HttpServletRequest request) {
        OperatorAction action = switch (name) {
            case "start" -> OperatorAction.START;
            case "confirm" -> OperatorAction.CONFIRM;
            case "replay" -> OperatorAction.REPLAY;
            case "replay-from-discovery" -> OperatorAction.REPLAY_FROM_DISCOVERY;
            case "pause" -> OperatorAction.PAUSE;
            case "resume" -> OperatorAction.RESUME;
            case "cancel" -> OperatorAction.CANCEL;
            case "rollback" -> OperatorAction.ROLLBACK;
            case "rollback-and-unsign" -> OperatorAction.ROLLBACK_AND_UNSIGN;
            default -> throw new ApiProblem(ApiProblem.Code.NO_SUCH_OPERATION, "no action '" + name
                    + "'; one of start, confirm, replay, replay-from-discovery, pause, resume, cancel, rollback, rollback-and-unsign");
        };
        JsonNode body = ApiScope.json(bodies.bytes(request));
        Selection selection = ApiScope.selection(caller, Map.of(), body);
        if (selection.empty()) {
            throw ApiProblem.badRequest("say which domains: \"domains\": [...], or a query (\"tenant\", \"wave\", \"held\": true, \"status\", "
                    + "\"failedBecause\", \"awaitingConfirmation\": true, \"all\": true)");
        }
        String reason = body.has("reason") ? body.get("reason").asString() : null;
        Touched touched = Touched.of(request);
        return () -> {
            if (!caller.allTenants()) {
                // A named domain outside the tenant refuses the whole request, with nothing written, and answers as a domain
                // that does not exist (not silently skipped, and not a different answer that would reveal it exists).
                Map<DomainName, MigrationState> states = log.snapshot().states();
                for (String d : selection.domains) {
                    MigrationState s = states.get(ApiScope.domainName(d));
                    if (s == null || !ApiScope.visibleTo(caller).test(s)) {
                        throw ApiProblem.notFound(ApiScope.notFound(caller, d).getMessage() + "; nothing was changed");
                    }
                }
            }
            Map<String, Operations.Result> results = new Operations(log).apply(action, selection, ApiScope.visibleTo(caller),
                    "api:" + caller.name(), Actor.api(caller.name()), reason, settings.confirmWait(), events -> done -> { });
            results.values().stream().filter(r -> !"unknown".equals(r.outcome())).forEach(r -> touched.add(r.domain()));
            return ApiScope.ok(results.values());
        };
    }
}
