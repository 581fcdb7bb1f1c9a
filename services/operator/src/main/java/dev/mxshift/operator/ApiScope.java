package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.operator.api.ApiProblem;
import dev.mxshift.operator.api.ApiTokens;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a caller of the API may see (decision 0021): an all-tenants token every domain, a tenant's token its own. The
 * answer for a domain the caller may not see is the same whether it exists or not.
 */
final class ApiScope {

    private ApiScope() {
    }

    static Predicate<MigrationState> visibleTo(ApiTokens.Caller caller) {
        return s -> caller.allTenants() || (s.tenant() != null && s.tenant().value().equals(caller.tenant()));
    }

    /**
     * The wave gate's hold as the caller may see it: the gate counts and names domains of every tenant of a wave ("victim-b.com
     * is FAILED", "500 domains of wave 'w3' are changing"), so a tenant's token gets the fact of the hold and its time, not
     * the hoster's reason.
     */
    static dev.mxshift.model.workflow.GateHold forCaller(ApiTokens.Caller caller, dev.mxshift.model.workflow.GateHold hold) {
        if (hold == null || caller.allTenants()) {
            return hold;
        }
        return new dev.mxshift.model.workflow.GateHold(hold.domain(), hold.sequence(),
                "the hoster's limits for this wave hold it until changes under way finish", hold.since());
    }

    private static final java.util.regex.Pattern SERVER = java.util.regex.Pattern.compile(
            "\\[[0-9A-Fa-f:.]+\\](:\\d+)?|\\b\\d{1,3}(\\.\\d{1,3}){3}(:\\d+)?\\b");
    private static final java.util.regex.Pattern JAVA_CLASS = java.util.regex.Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z]\\w*)");

    /**
     * Event texts as a tenant's token sees them: the servers' addresses and the class names of the hoster's software
     * (from providers' and resolvers' failures) are the hoster's, not the tenant's; the hoster's own views keep them.
     */
    static String redactFor(ApiTokens.Caller caller, String text) {
        if (text == null || caller.allTenants()) {
            return text;
        }
        return JAVA_CLASS.matcher(SERVER.matcher(text).replaceAll("(a server of the hoster)")).replaceAll("$1");
    }

    static ApiProblem notFound(ApiTokens.Caller caller, String domain) {
        return ApiProblem.notFound(domain + " is not in the event log" + (caller.allTenants() ? "" : " among tenant " + caller.tenant() + "'s domains"));
    }

    static DomainName domainName(String text) {
        try {
            return DomainName.of(text);
        } catch (RuntimeException e) {
            throw ApiProblem.badRequest("'" + text + "' is not a domain name");
        }
    }

    /** The query's filters (from the query string or a JSON body); a tenant-scoped caller may name only its own tenant. */
    static Selection selection(ApiTokens.Caller caller, Map<String, String> query, JsonNode body) {
        Selection s = new Selection();
        String tenant = text(query, body, "tenant");
        if (!caller.allTenants() && tenant != null && !tenant.equals(caller.tenant())) {
            throw ApiProblem.forbidden("this token is for tenant " + caller.tenant() + ", not " + tenant);
        }
        s.tenant = tenant;
        String statuses = text(query, body, "status");
        if (statuses != null) {
            for (String st : statuses.split(",")) {
                try {
                    s.statuses.add(WorkflowStatus.valueOf(st.strip()));
                } catch (IllegalArgumentException e) {
                    throw ApiProblem.badRequest("status '" + st + "' is not one of " + Arrays.toString(WorkflowStatus.values()));
                }
            }
        }
        String phases = text(query, body, "dnssec");
        if (phases != null) {
            for (String phase : phases.split(",")) {
                try {
                    s.dnssecPhases.add(dev.mxshift.model.workflow.DnssecPhase.parse(phase));
                } catch (IllegalArgumentException e) {
                    throw ApiProblem.badRequest("dnssec: " + e.getMessage());
                }
            }
        }
        s.wave = text(query, body, "wave");
        s.held = "true".equals(text(query, body, "held"));
        s.failedBecause = text(query, body, "failedBecause");
        s.awaitingConfirmation = "true".equals(text(query, body, "awaitingConfirmation"));
        s.all = "true".equals(text(query, body, "all"));
        if (body != null && body.has("domains")) {
            body.path("domains").forEach(d -> s.domains.add(d.asString()));
        }
        return s;
    }

    private static String text(Map<String, String> query, JsonNode body, String name) {
        if (body != null && body.has(name) && !body.get(name).isNull()) {
            JsonNode v = body.get(name);
            if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                v.forEach(x -> parts.add(x.asString()));
                return String.join(",", parts);
            }
            return v.asString();
        }
        return query.get(name);
    }

    static JsonNode json(byte[] body) {
        try {
            return body.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
        } catch (RuntimeException e) {
            throw ApiProblem.badRequest("the body is not JSON: " + e.getMessage());
        }
    }

    /** A 200 answer with the command line's JSON ({@code --json}'s layout). */
    static ResponseEntity<String> ok(Object value) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Json.write(value));
    }
}
