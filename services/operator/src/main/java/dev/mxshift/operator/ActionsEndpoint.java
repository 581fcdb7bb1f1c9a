package dev.mxshift.operator;

import dev.mxshift.operator.api.ApiProblem;
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

    private final ApiOperations operations;
    private final RequestBodies bodies;

    ActionsEndpoint(ApiOperations operations, RequestBodies bodies) {
        this.operations = operations;
        this.bodies = bodies;
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
            operations.allNamedVisible(caller, selection);
            String by = "api:" + caller.name();
            Map<String, Operations.Result> results = operations.apply(caller, (state, events) -> action.decide(state, by, reason, events),
                    selection);
            results.values().stream().filter(r -> !"unknown".equals(r.outcome())).forEach(r -> touched.add(r.domain()));
            return ApiScope.ok(results.values());
        };
    }
}
