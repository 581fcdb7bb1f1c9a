package dev.mxshift.operator;

import dev.mxshift.discovery.inventory.ImportCommand;
import dev.mxshift.discovery.inventory.ImportScope;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Actor;
import dev.mxshift.operator.api.ApiProblem;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.operator.api.RequestBodies;
import dev.mxshift.operator.api.Touched;
import dev.mxshift.recordgeneration.DryRunCommand;
import dev.mxshift.recordgeneration.DryRunReport;
import dev.mxshift.recordgeneration.PlanOptions;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.WebAsyncTask;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** What the import and the dry run read from files, taken as request bodies: the same code as the command line's. */
@RestController
@RequestMapping("/api/v1")
class ImportsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(ImportsEndpoint.class);

    private final EventLog log;
    private final RequestBodies bodies;

    ImportsEndpoint(EventLog log, RequestBodies bodies) {
        this.log = log;
        this.bodies = bodies;
    }

    /**
     * An inventory (CSV, JSON or JSON Lines, by Content-Type), or the export CSV of Enable-DnssecForVerifiedDomain, imported
     * in the caller's scope: a tenant's token may set Microsoft's targets of its own domains only, and a body with anything
     * else is refused whole (403) with nothing written (decision 0021).
     */
    @PostMapping("/imports")
    public WebAsyncTask<ResponseEntity<String>> importInventory(@AuthenticationPrincipal ApiTokens.Caller caller,
                                                            @RequestParam(name = "hold", defaultValue = "false") boolean hold,
                                                            HttpServletRequest request) {
        String type = String.valueOf(request.getContentType()).toLowerCase(Locale.ROOT);
        String extension = type.startsWith("text/csv") ? ".csv" : type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl") ? ".jsonl"
                : type.startsWith("application/json") ? ".json" : null;
        if (extension == null) {
            throw ApiProblem.badRequest("send the inventory as text/csv, application/json or application/x-ndjson (Content-Type), got " + type);
        }
        Path file = bodies.toFile(request, "mxshift-api-import-", extension);
        Touched touched = Touched.of(request);
        return deletingAfter(file, () -> {
            try {
                Actor actor = Actor.api(caller.name());
                ImportScope scope = caller.allTenants() ? ImportScope.hoster(actor) : ImportScope.tenant(TenantId.of(caller.tenant()), actor);
                List<String> problems = new ArrayList<>();
                ImportCommand.Result result = ImportCommand.importFiles(List.of(file), log.kafka(), log.eventsTopic(), "api:" + caller.name(),
                        scope, hold, p -> problems.add(p.replace(file.toString(), "body")));
                if (result.refused()) {
                    throw ApiProblem.forbidden("this token is for tenant " + caller.tenant() + "; nothing was imported: "
                            + String.join("; ", result.outOfScope()).replace(file.toString(), "body"));
                }
                touched.count(result.imported());
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("imported", result.imported());
                out.put("onHold", hold);
                out.put("rejected", result.rejected());
                out.put("problems", problems);
                out.put("stopped", result.brokerFailure() == null ? null
                        : "the event log did not take every event; import the body again (repeats are recognised)");
                if (result.brokerFailure() != null) {
                    LOG.error("api: import by {} stopped: {}", caller.name(), result.brokerFailure());
                }
                return ApiScope.ok(out);
            } finally {
                delete(file);
            }
        });
    }

    /** Discover's JSON Lines in the body, planned as {@code ./mxshift dry-run --json} plans them; nothing is written. */
    @PostMapping("/dry-run")
    public WebAsyncTask<ResponseEntity<String>> dryRun(@AuthenticationPrincipal ApiTokens.Caller caller, HttpServletRequest request) {
        Path file = bodies.toFile(request, "mxshift-api-dry-run-", ".jsonl");
        return deletingAfter(file, () -> {
            try {
                List<DryRunReport.Entry> entries;
                try {
                    entries = DryRunCommand.entries(List.of(file), PlanOptions.defaults());
                } catch (IllegalArgumentException e) {
                    throw ApiProblem.badRequest(e.getMessage().replace(file.toString(), "body"));
                }
                if (!caller.allTenants()) {
                    Set<String> others = new TreeSet<>();
                    entries.stream().filter(e -> e.tenant() == null || !e.tenant().value().equals(caller.tenant()))
                            .forEach(e -> others.add(String.valueOf(e.tenant())));
                    if (!others.isEmpty()) {
                        throw ApiProblem.forbidden("this token is for tenant " + caller.tenant() + "; the lines include tenants " + others);
                    }
                }
                return ApiScope.ok(new DryRunReport(entries).json());
            } finally {
                delete(file);
            }
        });
    }

    /** The call, with its body's file deleted however it ends: done, timed out, or never run (the pool was full). */
    static WebAsyncTask<ResponseEntity<String>> deletingAfter(Path file, Callable<ResponseEntity<String>> call) {
        WebAsyncTask<ResponseEntity<String>> task = new WebAsyncTask<>(call);
        task.onCompletion(() -> delete(file));
        return task;
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
