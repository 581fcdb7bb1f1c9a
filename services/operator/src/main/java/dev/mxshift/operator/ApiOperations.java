package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.Actor;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.operator.api.ApiProblem;
import dev.mxshift.operator.api.ApiSettings;
import dev.mxshift.operator.api.ApiTokens;

import java.util.Map;

/**
 * What the API's changing endpoints ({@link ActionsEndpoint}, {@link FixesEndpoint}) share: a caller sees only its tenants'
 * domains, and another tenant's answers as one that does not exist; a change is decided per domain by {@link Operations},
 * as on the command line, on behalf of the caller and confirmed within the API's wait.
 */
final class ApiOperations {

    private final EventLog log;
    private final ApiSettings settings;

    ApiOperations(EventLog log, ApiSettings settings) {
        this.log = log;
        this.settings = settings;
    }

    /** The domain's state, or the same 404 for another tenant's domain as for none: a tenant learns nothing of the others. */
    MigrationState visible(ApiTokens.Caller caller, DomainName domain) {
        return visible(caller, log.snapshot().states(), domain, "");
    }

    /**
     * A named domain outside the caller's tenants refuses the whole request, with nothing written, and answers as a domain
     * that does not exist (not silently skipped, and not a different answer that would reveal it exists).
     */
    void allNamedVisible(ApiTokens.Caller caller, Selection selection) {
        if (caller.allTenants()) {
            return;
        }
        Map<DomainName, MigrationState> states = log.snapshot().states();
        for (String d : selection.domains) {
            visible(caller, states, ApiScope.domainName(d), "; nothing was changed");
        }
    }

    private static MigrationState visible(ApiTokens.Caller caller, Map<DomainName, MigrationState> states, DomainName domain, String more) {
        MigrationState state = states.get(domain);
        if (state == null || !ApiScope.visibleTo(caller).test(state)) {
            throw ApiProblem.notFound(ApiScope.notFound(caller, domain.value()).getMessage() + more);
        }
        return state;
    }

    /** The change decided per selected domain the caller may see, appended as the caller, and confirmed. */
    Map<String, Operations.Result> apply(ApiTokens.Caller caller, Operations.Decider decider, Selection selection) {
        return new Operations(log).apply(decider, selection, ApiScope.visibleTo(caller), Actor.api(caller.name()), settings.confirmWait(),
                events -> done -> { });
    }
}
