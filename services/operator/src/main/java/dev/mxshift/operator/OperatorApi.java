package dev.mxshift.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.GateHold;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.operator.api.ApiTokens;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The operator's HTTP API (documented in {@code openapi.yaml}, served at {@code /api/v1/openapi.yaml}): the same
 * operations as the command line, for a caller with a bearer token. A token scoped to a tenant sees and touches only
 * that tenant's domains (decision 0021): a domain of another tenant answers exactly as a domain that does not exist
 * (404), a filter naming another tenant is 403, and a request that reaches outside the tenant is refused whole with
 * nothing written; no, an unknown or an expired token is 401. Every call is audited as one JSON line.
 */
public final class OperatorApi implements AutoCloseable {

    /** The largest request body taken by default: an inventory of some 200,000 domains. */
    public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OperatorApi.class);

    private final HttpServer server;
    private final EventLog log;
    private final ApiTokens tokens;
    private final long maxBodyBytes;
    private final java.util.function.Consumer<String> audit;

    public OperatorApi(InetSocketAddress address, EventLog log, ApiTokens tokens) throws IOException {
        this(address, log, tokens, DEFAULT_MAX_BODY_BYTES, line -> AUDIT.info(line));
    }

    private static final org.slf4j.Logger AUDIT = org.slf4j.LoggerFactory.getLogger("mxshift.audit");

    /**
     * @param maxBodyBytes a larger request body is refused with 413 before it is read
     * @param audit        where each call's audit line goes (one JSON object: time, actor, channel, operation, domains, status)
     */
    public OperatorApi(InetSocketAddress address, EventLog log, ApiTokens tokens, long maxBodyBytes,
                       java.util.function.Consumer<String> audit) throws IOException {
        this.log = log;
        this.tokens = tokens;
        this.maxBodyBytes = maxBodyBytes;
        this.audit = audit;
        this.server = HttpServer.create(address, 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/api/v1/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** An answer that is not 200: its status and message. */
    private static final class Refusal extends RuntimeException {
        final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** What one call touched, for its audit line. */
    private static final class Touched {
        final java.util.Set<String> domains = new java.util.LinkedHashSet<>();
        long count;

        void add(String domain) {
            count++;
            if (domains.size() < 100) {
                domains.add(domain);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/api/v1".length());
            String method = exchange.getRequestMethod();
            if (path.equals("/openapi.yaml") && method.equals("GET")) {
                try (InputStream spec = OperatorApi.class.getResourceAsStream("/openapi.yaml")) {
                    send(exchange, 200, "application/yaml", spec.readAllBytes());
                }
                return;
            }
            ApiTokens.Caller caller = null;
            Touched touched = new Touched();
            int status = 500;
            try {
                caller = authenticate(exchange);
                Map<String, String> query = query(exchange);
                Object body;
                if (method.equals("GET") && path.equals("/status")) {
                    body = status(caller, selection(caller, query, null), touched);
                } else if (method.equals("GET") && path.equals("/domains")) {
                    body = domains(caller, selection(caller, query, null), touched);
                } else if (method.equals("GET") && path.startsWith("/domains/")) {
                    body = domain(caller, path.substring("/domains/".length()), touched);
                } else if (method.equals("POST") && path.startsWith("/actions/")) {
                    body = act(caller, path.substring("/actions/".length()), exchange, touched);
                } else if (method.equals("POST") && path.equals("/imports")) {
                    body = importInventory(caller, exchange, "true".equals(query.get("hold")), touched);
                } else if (method.equals("POST") && path.equals("/dry-run")) {
                    body = dryRun(caller, exchange);
                } else if (method.equals("GET") && path.equals("/dead-letters")) {
                    body = deadLetters(caller, query.get("service"), null);
                } else if (method.equals("POST") && path.equals("/dead-letters/replay")) {
                    body = deadLetters(caller, null, readJson(exchange));
                } else {
                    throw new Refusal(404, "no such operation: " + method + " " + path + "; see /api/v1/openapi.yaml");
                }
                status = 200;
                send(exchange, 200, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
            } catch (Refusal r) {
                status = r.status;
                if (r.status == 401) {
                    exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"mxshift\"");
                }
                send(exchange, r.status, "application/json", Json.write(Map.of("status", r.status, "error", r.getMessage())).getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                status = 400;
                send(exchange, 400, "application/json", Json.write(Map.of("status", 400, "error", e.getMessage())).getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                // The cause stays in the server's log: its text may name brokers, files and hosts a caller must not see.
                status = 503;
                LOG.error("api: {} {} failed", method, path, e);
                send(exchange, 503, "application/json", Json.write(Map.of("status", 503, "error",
                        "the event log could not be read or written; the operators have the details in the API's log")).getBytes(StandardCharsets.UTF_8));
            } finally {
                audit(caller, method + " " + path, touched, status);
            }
        }
    }

    /** One JSON line per call: who, what, which domains, how it ended. Never the token. */
    private void audit(ApiTokens.Caller caller, String operation, Touched touched, int status) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", java.time.Instant.now().toString());
        line.put("actor", caller == null ? null : caller.name());
        line.put("tenantScope", caller == null ? null : caller.allTenants() ? "*" : caller.tenant());
        line.put("channel", "API");
        line.put("operation", operation);
        line.put("domains", touched.domains);
        line.put("domainCount", touched.count);
        line.put("status", status);
        try {
            audit.accept(Json.MAPPER.writeValueAsString(line));
        } catch (RuntimeException e) {
            LOG.error("api: could not write the audit line of {}", operation, e);
        }
    }

    private ApiTokens.Caller authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw new Refusal(401, "send a token: Authorization: Bearer <token>");
        }
        return tokens.authenticate(header.substring("Bearer ".length()).strip())
                .orElseThrow(() -> new Refusal(401, "the token is not known"));
    }

    /** The query's filters; a tenant-scoped caller may only name its own tenant. */
    private static Selection selection(ApiTokens.Caller caller, Map<String, String> q, JsonNode body) {
        Selection s = new Selection();
        String tenant = text(q, body, "tenant");
        if (!caller.allTenants() && tenant != null && !tenant.equals(caller.tenant())) {
            throw new Refusal(403, "this token is for tenant " + caller.tenant() + ", not " + tenant);
        }
        s.tenant = tenant;
        String statuses = text(q, body, "status");
        if (statuses != null) {
            for (String st : statuses.split(",")) {
                try {
                    s.statuses.add(WorkflowStatus.valueOf(st.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("status '" + st + "' is not one of " + java.util.Arrays.toString(WorkflowStatus.values()));
                }
            }
        }
        s.wave = text(q, body, "wave");
        s.held = "true".equals(text(q, body, "held"));
        s.failedBecause = text(q, body, "failedBecause");
        s.awaitingConfirmation = "true".equals(text(q, body, "awaitingConfirmation"));
        s.all = "true".equals(text(q, body, "all"));
        if (body != null && body.has("domains")) {
            body.path("domains").forEach(d -> s.domains.add(d.asString()));
        }
        return s;
    }

    private static String text(Map<String, String> q, JsonNode body, String name) {
        if (body != null && body.has(name) && !body.get(name).isNull()) {
            JsonNode v = body.get(name);
            if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                v.forEach(x -> parts.add(x.asString()));
                return String.join(",", parts);
            }
            return v.asString();
        }
        return q.get(name);
    }

    private static Predicate<MigrationState> visibleTo(ApiTokens.Caller caller) {
        return s -> caller.allTenants() || (s.tenant() != null && s.tenant().value().equals(caller.tenant()));
    }

    private Object status(ApiTokens.Caller caller, Selection selection, Touched touched) {
        List<MigrationState> chosen = visible(caller, selection);
        touched.count += chosen.size();
        StatusCounts counts = StatusCounts.of(chosen);
        Map<DomainName, GateHold> holds = StatusCommand.gateHoldsFor(chosen, log);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("domains", chosen.size());
        out.put("byStatus", counts.byStatus());
        out.put("byTenant", counts.byTenant());
        out.put("heldByWaveGate", chosen.stream().filter(s -> StatusCommand.holdOn(s, holds) != null).count());
        return out;
    }

    private Object domains(ApiTokens.Caller caller, Selection selection, Touched touched) {
        List<MigrationState> chosen = visible(caller, selection);
        chosen.forEach(s -> touched.add(s.domain().value()));
        Map<DomainName, GateHold> holds = StatusCommand.gateHoldsFor(chosen, log);
        return chosen.stream().map(s -> StatusCommand.line(s, StatusCommand.holdOn(s, holds))).toList();
    }

    private List<MigrationState> visible(ApiTokens.Caller caller, Selection selection) {
        List<MigrationState> all = new ArrayList<>();
        Predicate<MigrationState> visible = visibleTo(caller);
        log.snapshot().states().values().stream().filter(visible).filter(s -> selection.empty() || selection.matches(s)).forEach(all::add);
        return all;
    }

    private Object domain(ApiTokens.Caller caller, String name, Touched touched) {
        DomainName domain;
        try {
            domain = DomainName.of(URLDecoder.decode(name, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + name + "' is not a domain name");
        }
        touched.add(domain.value());
        MigrationState state = log.snapshot().states().get(domain);
        if (state == null || !visibleTo(caller).test(state)) {
            // the same answer for another tenant's domain as for none: a tenant learns nothing of the others
            throw notFound(caller, domain.value());
        }
        List<Map<String, Object>> history = new ArrayList<>();
        for (EventEnvelope e : log.history(domain)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("sequence", e.sequence());
            entry.put("time", e.occurredAt().toString());
            entry.put("type", e.type());
            entry.put("summary", HistoryCommand.summary(e));
            entry.put("actor", e.actor() == null ? null : Map.of("name", e.actor().name(), "channel", e.actor().channel().name()));
            entry.put("stateAfter", OperatorAction.describe(e.state()));
            history.add(entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("domain", domain.value());
        out.put("tenant", state.tenant() == null ? null : state.tenant().value());
        out.put("status", state.status().name());
        GateHold hold = StatusCommand.holdOn(state, StatusCommand.gateHoldsFor(List.of(state), log));
        out.put("detail", hold != null ? StatusCommand.heldByGate(hold) : StatusCommand.detail(state));
        if (hold != null) {
            out.put("gateHold", Map.of("reason", hold.reason(), "since", hold.since().toString()));
        }
        out.put("history", history);
        return out;
    }

    /** The one answer for a domain a caller may not see, whether it exists or not. */
    private static Refusal notFound(ApiTokens.Caller caller, String domain) {
        return new Refusal(404, domain + " is not in the event log" + (caller.allTenants() ? "" : " among tenant " + caller.tenant() + "'s domains"));
    }

    private Object act(ApiTokens.Caller caller, String name, HttpExchange exchange, Touched touched) throws IOException {
        OperatorAction action = switch (name) {
            case "start" -> OperatorAction.START;
            case "confirm" -> OperatorAction.CONFIRM;
            case "replay" -> OperatorAction.REPLAY;
            case "replay-from-discovery" -> OperatorAction.REPLAY_FROM_DISCOVERY;
            case "pause" -> OperatorAction.PAUSE;
            case "resume" -> OperatorAction.RESUME;
            case "cancel" -> OperatorAction.CANCEL;
            case "rollback" -> OperatorAction.ROLLBACK;
            default -> throw new Refusal(404, "no action '" + name + "'; one of start, confirm, replay, replay-from-discovery, pause, resume, cancel, rollback");
        };
        JsonNode body = readJson(exchange);
        Selection selection = selection(caller, Map.of(), body);
        if (selection.empty()) {
            throw new IllegalArgumentException("say which domains: \"domains\": [...], or a query (\"tenant\", \"wave\", \"held\": true, \"status\", \"failedBecause\", "
                    + "\"awaitingConfirmation\": true, \"all\": true)");
        }
        if (!caller.allTenants()) {
            // A named domain outside the tenant refuses the whole request, with nothing written, and answers as a domain
            // that does not exist (not silently skipped, and not a different answer that would reveal it exists).
            Map<DomainName, MigrationState> states = log.snapshot().states();
            for (String d : selection.domains) {
                MigrationState s;
                try {
                    s = states.get(DomainName.of(d));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("'" + d + "' is not a domain name");
                }
                if (s == null || !visibleTo(caller).test(s)) {
                    throw new Refusal(404, notFound(caller, d).getMessage() + "; nothing was changed");
                }
            }
        }
        String reason = body.has("reason") ? body.get("reason").asString() : null;
        Map<String, Operations.Result> results = new Operations(log).apply(action, selection, visibleTo(caller), "api:" + caller.name(),
                dev.mxshift.model.event.Actor.api(caller.name()), reason, Duration.ofSeconds(60), events -> done -> { });
        results.values().stream().filter(r -> !"unknown".equals(r.outcome())).forEach(r -> touched.add(r.domain()));
        return results.values();
    }

    /**
     * An inventory in the request body (CSV, JSON or JSON Lines, by Content-Type), or the export CSV of
     * Enable-DnssecForVerifiedDomain, imported as {@code ./mxshift import} does, in the caller's scope: a tenant's token
     * may set Microsoft's targets of its own domains only, and a body with anything else is refused whole (403) with
     * nothing written (decision 0021).
     */
    private Object importInventory(ApiTokens.Caller caller, HttpExchange exchange, boolean hold, Touched touched) throws IOException {
        String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).toLowerCase(java.util.Locale.ROOT);
        String extension = type.startsWith("text/csv") ? ".csv" : type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl") ? ".jsonl"
                : type.startsWith("application/json") ? ".json" : null;
        if (extension == null) {
            throw new IllegalArgumentException("send the inventory as text/csv, application/json or application/x-ndjson (Content-Type), got " + type);
        }
        java.nio.file.Path file = bodyToFile(exchange, "mxshift-api-import-", extension);
        try {
            dev.mxshift.model.event.Actor actor = dev.mxshift.model.event.Actor.api(caller.name());
            dev.mxshift.discovery.inventory.ImportScope scope = caller.allTenants() ? dev.mxshift.discovery.inventory.ImportScope.hoster(actor)
                    : dev.mxshift.discovery.inventory.ImportScope.tenant(dev.mxshift.model.dns.TenantId.of(caller.tenant()), actor);
            List<String> problems = new ArrayList<>();
            dev.mxshift.discovery.inventory.ImportCommand.Result result = dev.mxshift.discovery.inventory.ImportCommand.importFiles(
                    List.of(file), log.kafka(), log.eventsTopic(), "api:" + caller.name(), scope, hold,
                    p -> problems.add(p.replace(file.toString(), "body")));
            if (result.refused()) {
                throw new Refusal(403, "this token is for tenant " + caller.tenant() + "; nothing was imported: "
                        + String.join("; ", result.outOfScope()).replace(file.toString(), "body"));
            }
            touched.count += result.imported();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("imported", result.imported());
            out.put("onHold", hold);
            out.put("rejected", result.rejected());
            out.put("problems", problems);
            out.put("stopped", result.brokerFailure() == null ? null : "the event log did not take every event; import the body again (repeats are recognised)");
            if (result.brokerFailure() != null) {
                LOG.error("api: import by {} stopped: {}", caller.name(), result.brokerFailure());
            }
            return out;
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /** Discover's JSON Lines in the body, planned as {@code ./mxshift dry-run --json} plans them; nothing is written. */
    private Object dryRun(ApiTokens.Caller caller, HttpExchange exchange) throws IOException {
        java.nio.file.Path file = bodyToFile(exchange, "mxshift-api-dry-run-", ".jsonl");
        try {
            List<dev.mxshift.recordgeneration.DryRunReport.Entry> entries;
            try {
                entries = dev.mxshift.recordgeneration.DryRunCommand.entries(List.of(file), dev.mxshift.recordgeneration.PlanOptions.defaults());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replace(file.toString(), "body"), e);
            }
            if (!caller.allTenants()) {
                java.util.Set<String> others = new java.util.TreeSet<>();
                entries.stream().filter(e -> e.tenant() == null || !e.tenant().value().equals(caller.tenant()))
                        .forEach(e -> others.add(String.valueOf(e.tenant())));
                if (!others.isEmpty()) {
                    throw new Refusal(403, "this token is for tenant " + caller.tenant() + "; the lines include tenants " + others);
                }
            }
            return new dev.mxshift.recordgeneration.DryRunReport(entries).json();
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /**
     * A service's dead letters ({@code service}: list), or replays some ({@code replay}: {"service", "offsets":
     * ["PARTITION:OFFSET"], or "all": true}). Dead letters may be any tenant's: an all-tenants token only.
     */
    private Object deadLetters(ApiTokens.Caller caller, String service, JsonNode replay) {
        if (!caller.allTenants()) {
            throw new Refusal(403, "dead letters may be any tenant's; this token is for tenant " + caller.tenant());
        }
        String name = replay != null ? replay.path("service").asString("") : service;
        if (name == null || !dev.mxshift.model.topic.TopicCatalogue.consumingServices().stream().anyMatch(r -> r.serviceName().equals(name))) {
            throw new IllegalArgumentException("say which service: discovery-service, validation-service, record-generation-service or dns-push-service");
        }
        String topic = log.eventsTopic() + ".dlt." + name;
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records = log.records(topic);
        if (replay == null) {
            return records.stream().map(DeadLettersCommand::letter).toList();
        }
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> chosen = new ArrayList<>();
        if (replay.path("all").asBoolean(false)) {
            chosen.addAll(records);
        } else {
            for (JsonNode o : replay.path("offsets")) {
                String position = o.asString();
                chosen.add(records.stream().filter(r -> (r.partition() + ":" + r.offset()).equals(position)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no dead letter at " + position + " in " + topic)));
            }
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("say which dead letters: \"offsets\": [\"PARTITION:OFFSET\"] (from the list) or \"all\": true");
            }
        }
        log.republish(chosen);
        return Map.of("replayed", chosen.size(), "from", topic, "into", log.eventsTopic());
    }

    /** The request body in a temporary file (the import and the dry run read files); the caller deletes it. */
    private java.nio.file.Path bodyToFile(HttpExchange exchange, String prefix, String extension) throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile(prefix, extension);
        try (InputStream in = body(exchange)) {
            java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            java.nio.file.Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    private JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = body(exchange)) {
            bytes = in.readAllBytes();
        }
        try {
            return bytes.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(bytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getMessage());
        }
    }

    /** The body, refused with 413 once it is larger than the limit (by its declared length at once, else as it is read). */
    private InputStream body(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > maxBodyBytes) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Content-Length '" + declared + "' is not a number");
            }
        }
        return new java.io.FilterInputStream(exchange.getRequestBody()) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) {
                read += n;
                if (read > maxBodyBytes) {
                    throw tooLarge();
                }
            }
        };
    }

    private Refusal tooLarge() {
        return new Refusal(413, "the body is larger than this API takes (" + maxBodyBytes + " bytes); split it, or raise api --max-body");
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
