package dev.mxshift.operator;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.discovery.inventory.InventoryProblem;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import dev.mxshift.operator.api.ApiProblem;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.operator.api.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.WebAsyncTask;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./mxshift inventory-from} over HTTP, for the hoster only (an all-tenants token): the connectors are the ones the
 * API was started with ({@code api --connectors}, {@code --endpoints}, {@code --zone-files}); the body, if any, is the
 * mapping file. A tenant's token is refused (403): the answer names every tenant's zones.
 */
@RestController
@RequestMapping("/api/v1")
class InventoryFromEndpoint {

    private final SweepSources.Config connectors;
    private final RequestBodies bodies;

    InventoryFromEndpoint(SweepSources.Config connectors, RequestBodies bodies) {
        this.connectors = connectors;
        this.bodies = bodies;
    }

    @PostMapping("/inventory-from")
    public WebAsyncTask<ResponseEntity<String>> inventoryFrom(@AuthenticationPrincipal ApiTokens.Caller caller,
                                                          @RequestParam(name = "connector", required = false) List<String> only,
                                                          HttpServletRequest request) {
        if (!caller.allTenants()) {
            throw ApiProblem.forbidden("this token is for tenant " + caller.tenant() + "; an inventory from the providers names every"
                    + " tenant's zones and is for an all-tenants token only");
        }
        if (connectors.isEmpty()) {
            throw new ApiProblem(ApiProblem.Code.UNAVAILABLE, "the API was started without connectors to list"
                    + " (api --connectors FILE, --endpoints FILE or --zone-files DIR)");
        }
        Path body = bodies.toFile(request, "mxshift-api-mapping-", ".csv");
        return ImportsEndpoint.deletingAfter(body, () -> {
            try {
                return ApiScope.ok(answer(mapping(body), only == null ? Set.of() : new LinkedHashSet<>(only)));
            } finally {
                ImportsEndpoint.delete(body);
            }
        });
    }

    private static ZoneTenantMapping mapping(Path body) throws IOException {
        if (Files.size(body) == 0) {
            return ZoneTenantMapping.EMPTY;
        }
        ZoneTenantMapping.Read read = ZoneTenantMapping.parse("body", Files.readString(body));
        if (!read.problems().isEmpty()) {
            throw ApiProblem.badRequest("the mapping in the body has " + read.problems().size() + " bad line(s): "
                    + String.join("; ", read.problems().stream().map(InventoryProblem::toString).toList()));
        }
        return read.mapping();
    }

    private Map<String, Object> answer(ZoneTenantMapping mapping, Set<String> only) throws IOException, ConnectorException {
        InventoryFrom.Outcome outcome;
        try (SweepSources.Opened opened = SweepSources.open(connectors, new ConnectorRegistry())) {
            Set<String> unknown = new LinkedHashSet<>(only);
            opened.sources().forEach(s -> unknown.remove(s.id()));
            if (!unknown.isEmpty()) {
                throw ApiProblem.badRequest("no connector named " + String.join(", ", unknown) + "; there are: "
                        + String.join(", ", opened.sources().stream().map(SweepSources.Source::id).toList()));
            }
            outcome = InventoryFrom.run(opened.sources().stream().filter(s -> only.isEmpty() || only.contains(s.id())).toList(), mapping, line -> { });
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("complete", outcome.failures().isEmpty());
        out.put("zonesListed", outcome.zonesListed());
        out.put("rows", outcome.rows().size());
        out.put("inventory", outcome.csv());
        out.put("leftOut", outcome.leftOut().stream().map(l -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("connector", l.connector());
            entry.put("zone", l.zone());
            entry.put("account", l.account());
            entry.put("reason", l.reason());
            return entry;
        }).toList());
        out.put("failures", outcome.failures().stream().map(f -> Map.of("connector", f.connector(), "reason", f.reason())).toList());
        return out;
    }
}
