package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.operator.api.ApiProblem;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.operator.api.RequestBodies;
import dev.mxshift.operator.api.Touched;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * A migrated domain's fix plan over HTTP (decision 0036), as {@code ./mxshift fixes} shows and approves it: tenant-scoped,
 * another tenant's domain answers as one that does not exist, and an approval is decided by the same {@link FixesCommand#approval}.
 */
@RestController
@RequestMapping("/api/v1")
class FixesEndpoint {

    private final ApiOperations operations;
    private final RequestBodies bodies;

    FixesEndpoint(ApiOperations operations, RequestBodies bodies) {
        this.operations = operations;
        this.bodies = bodies;
    }

    @GetMapping("/domains/{domain}/fixes")
    public Callable<ResponseEntity<String>> show(@AuthenticationPrincipal ApiTokens.Caller caller, @PathVariable("domain") String name,
                                                 HttpServletRequest request) {
        DomainName domain = ApiScope.domainName(name);
        Touched.of(request).add(domain.value());
        return () -> ApiScope.ok(FixesCommand.shown(operations.visible(caller, domain)));
    }

    @PostMapping("/domains/{domain}/fixes")
    public Callable<ResponseEntity<String>> approve(@AuthenticationPrincipal ApiTokens.Caller caller, @PathVariable("domain") String name,
                                                    HttpServletRequest request) {
        DomainName domain = ApiScope.domainName(name);
        JsonNode body = ApiScope.json(bodies.bytes(request));
        String checksum = body.path("checksum").asString("").toLowerCase(Locale.ROOT);
        if (!checksum.matches("[0-9a-f]{64}")) {
            throw ApiProblem.badRequest("say which fix plan: {\"checksum\": \"...\"}, the 64 hex digits GET /domains/" + domain.value()
                    + "/fixes answered");
        }
        Touched touched = Touched.of(request);
        touched.add(domain.value());
        return () -> {
            operations.visible(caller, domain);
            Selection selection = new Selection();
            selection.domains = new java.util.ArrayList<>(List.of(domain.value()));
            return ApiScope.ok(operations.apply(caller, (state, events) -> FixesCommand.approval(state, Set.of(checksum), events), selection)
                    .values());
        };
    }
}
