package dev.mxshift.dnspush.connectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mxshift.connector.RrSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local server that answers as Cloudflare's API v4 documents (the one kind of stand-in the project accepts: this
 * machine cannot reach Cloudflare): the response envelope ({@code success}, {@code errors}, {@code messages},
 * {@code result}, {@code result_info}), zones by name with pages, DNS records by name and type (and all of a zone's,
 * page by page) with MX
 * {@code priority} and TLSA {@code data} apart from {@code content}, the atomic {@code dns_records/batch}, error
 * codes 10000 (authentication), 7003 (unknown zone id), 81044 (record not found in a batch) and 971 with HTTP
 * 429 (throttled, every {@code throttleEvery}-th request when set). DNSSEC as "DNSSEC states" and the API reference
 * document it: {@code GET/PATCH/DELETE /zones/{id}/dnssec}, the states pending, active, pending-disabled, disabled and
 * deleted (disabled with a null {@code modified_on}), an ECDSA P-256 key made at the first activation and kept while
 * the zone is signed, the DS fields ({@code ds}, {@code digest}, {@code key_tag}, {@code algorithm}, {@code public_key},
 * {@code flags}), and a DELETE refused before the state is disabled. Whether the DS is at the registrar is the test's
 * to say ({@link #dsAtRegistrar}). 127.0.0.1 only.
 */
public final class CloudflareApiServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final String token;
    private final Map<String, String> zoneIdsByName = new LinkedHashMap<>();
    private final Map<String, Map<String, ObjectNode>> records = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger recordLists = new AtomicInteger();
    private volatile int throttleEvery;
    private final Map<String, ObjectNode> dnssec = new HashMap<>();
    private final Map<String, Boolean> dsAtRegistrar = new HashMap<>();
    private final Map<String, AtomicInteger> keysMade = new HashMap<>();
    /** Each zone's account, {id, name}: every Cloudflare zone belongs to one; the constructor's zones to {@link #DEFAULT_ACCOUNT}. */
    private final Map<String, String[]> accounts = new HashMap<>();
    static final String[] DEFAULT_ACCOUNT = {"023e105f4ecef8ad9ca31a8372d0c353", "Lab hoster"};

    public CloudflareApiServer(String token, String... zones) throws IOException {
        this.token = token;
        for (String zone : zones) {
            String zoneId = UUID.randomUUID().toString().replace("-", "");
            zoneIdsByName.put(zone, zoneId);
            records.put(zoneId, new LinkedHashMap<>());
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/client/v4/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4");
    }

    /** Moves the zone to the account {@code id} named {@code name} ({@code GET /zones} then names it in the zone's {@code account}). */
    void account(String zone, String id, String name) {
        accounts.put(zone, new String[]{id, name});
    }

    void throttleEvery(int n) {
        throttleEvery = n;
    }

    int requests() {
        return requests.get();
    }

    /** {@code GET /zones/{id}/dns_records} pages answered so far. */
    int recordLists() {
        return recordLists.get();
    }

    /** As a person would in Cloudflare's dashboard: replace a record set. */
    public synchronized void edit(String zone, RrSet set) throws Exception {
        Map<String, ObjectNode> zoneRecords = records.get(zoneIdsByName.get(zone));
        zoneRecords.values().removeIf(r -> r.path("name").asString().equals(set.owner()) && r.path("type").asString().equals(set.type()));
        for (String rdata : set.rdata()) {
            ObjectNode record = CloudflareConnector.record(set.owner(), set.type(), set.ttl(), rdata);
            String recordId = UUID.randomUUID().toString().replace("-", "");
            record.put("id", recordId).put("proxied", false);
            zoneRecords.put(recordId, record);
        }
    }

    /** As Cloudflare's scan of the registrar would find it: the zone's DS is there (or no longer). */
    synchronized void dsAtRegistrar(String zone, boolean present) {
        String zoneId = zoneIdsByName.get(zone);
        dsAtRegistrar.put(zoneId, present);
        ObjectNode state = dnssec.get(zoneId);
        if (state != null) {
            String status = state.path("status").asString();
            if (present && status.equals("pending")) {
                state.put("status", "active");
            } else if (!present && status.equals("pending-disabled")) {
                state.put("status", "disabled");
            }
        }
    }

    /** Signing keys Cloudflare made for the zone so far. */
    synchronized int keysMade(String zone) {
        return keysMade.computeIfAbsent(zoneIdsByName.get(zone), z -> new AtomicInteger()).get();
    }

    private void dnssec(HttpExchange exchange, String zoneId) throws IOException {
        String zone = zoneIdsByName.entrySet().stream().filter(e -> e.getValue().equals(zoneId)).map(Map.Entry::getKey).findFirst().orElseThrow();
        ObjectNode state = dnssec.computeIfAbsent(zoneId, z -> {
            ObjectNode deleted = JSON.createObjectNode().put("status", "disabled").putNull("modified_on");
            return deleted;
        });
        boolean registrar = dsAtRegistrar.getOrDefault(zoneId, false);
        switch (exchange.getRequestMethod()) {
            case "GET" -> ok(exchange, state, -1, -1);
            case "PATCH" -> {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                String wanted = body.path("status").asString("");
                if (body.has("dnssec_use_nsec3")) {
                    state.put("dnssec_use_nsec3", body.path("dnssec_use_nsec3").asBoolean());
                }
                if (wanted.equals("active")) {
                    if (!state.has("public_key") || state.path("public_key").isNull()) {
                        makeKey(zone, zoneId, state);
                    }
                    state.put("status", registrar ? "active" : "pending");
                } else if (wanted.equals("disabled")) {
                    if (state.has("public_key") && !state.path("public_key").isNull()) {
                        state.put("status", registrar ? "pending-disabled" : "disabled");
                    }
                } else if (!wanted.isEmpty()) {
                    fail(exchange, 400, 1007, "Invalid value for status");
                    return;
                }
                state.put("modified_on", java.time.Instant.now().toString());
                ok(exchange, state, -1, -1);
            }
            case "DELETE" -> {
                if (!state.path("status").asString().equals("disabled")) {
                    // Cloudflare refuses to delete DNSSEC records before the DS is gone from the registrar.
                    fail(exchange, 400, 1001, "DNSSEC must be disabled and its DS removed from the registrar before its records are deleted");
                    return;
                }
                ObjectNode deleted = JSON.createObjectNode().put("status", "disabled").putNull("modified_on");
                dnssec.put(zoneId, deleted);
                ok(exchange, JSON.readTree("\"" + zoneId + "\""), -1, -1);
            }
            default -> fail(exchange, 405, 10405, "Method not allowed for this route");
        }
    }

    private void makeKey(String zone, String zoneId, ObjectNode state) {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            java.security.KeyPair pair = generator.generateKeyPair();
            org.xbill.DNS.Name name = org.xbill.DNS.Name.fromString(zone, org.xbill.DNS.Name.root);
            org.xbill.DNS.DNSKEYRecord key = new org.xbill.DNS.DNSKEYRecord(name, org.xbill.DNS.DClass.IN, 3600, 257, 3, 13, pair.getPublic());
            org.xbill.DNS.DSRecord ds = new org.xbill.DNS.DSRecord(name, org.xbill.DNS.DClass.IN, 3600, org.xbill.DNS.DNSSEC.Digest.SHA256, key);
            String digest = java.util.HexFormat.of().withUpperCase().formatHex(ds.getDigest());
            state.put("algorithm", "13").put("digest", digest).put("digest_algorithm", "SHA256").put("digest_type", "2")
                    .put("ds", zone + ". 3600 IN DS " + key.getFootprint() + " 13 2 " + digest).put("flags", 257)
                    .put("key_tag", key.getFootprint()).put("key_type", "ECDSAP256SHA256")
                    .put("public_key", java.util.Base64.getEncoder().encodeToString(key.getKey()))
                    .put("dnssec_multi_signer", false).put("dnssec_presigned", false);
            keysMade.computeIfAbsent(zoneId, z -> new AtomicInteger()).incrementAndGet();
        } catch (Exception e) {
            throw new IllegalStateException("could not make a key for " + zone, e);
        }
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int n = requests.incrementAndGet();
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                fail(exchange, 403, 10000, "Authentication error");
                return;
            }
            if (throttleEvery > 0 && n % throttleEvery == 0) {
                fail(exchange, 429, 971, "Please wait and consider throttling your request speed");
                return;
            }
            String path = exchange.getRequestURI().getPath().replaceFirst("^/client/v4", "");
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String[] parts = path.split("/");
            if (path.equals("/zones") && exchange.getRequestMethod().equals("GET")) {
                zones(exchange, query);
            } else if (parts.length == 4 && parts[1].equals("zones") && parts[3].equals("dnssec")) {
                if (!records.containsKey(parts[2])) {
                    fail(exchange, 404, 7003, "Could not route to /zones/" + parts[2] + "/dnssec, perhaps your object identifier is invalid?");
                    return;
                }
                dnssec(exchange, parts[2]);
            } else if (parts.length >= 4 && parts[1].equals("zones") && parts[3].equals("dns_records")) {
                Map<String, ObjectNode> zoneRecords = records.get(parts[2]);
                if (zoneRecords == null) {
                    fail(exchange, 404, 7003, "Could not route to /zones/" + parts[2] + "/dns_records, perhaps your object identifier is invalid?");
                    return;
                }
                if (parts.length == 4 && exchange.getRequestMethod().equals("GET")) {
                    // As documented for "List DNS Records": per_page 5 to 5,000,000 (default 100), page from 1, result_info
                    // with the page's count, the total and the number of pages.
                    int perPage = Integer.parseInt(query.getOrDefault("per_page", "100"));
                    int page = Integer.parseInt(query.getOrDefault("page", "1"));
                    if (perPage < 5 || page < 1) {
                        fail(exchange, 400, 1004, "per_page must be 5 to 5000000 and page at least 1");
                        return;
                    }
                    var matching = zoneRecords.values().stream()
                            .filter(r -> !query.containsKey("name") || r.path("name").asString().equals(query.get("name")))
                            .filter(r -> !query.containsKey("type") || r.path("type").asString().equals(query.get("type")))
                            .toList();
                    ArrayNode result = JSON.createArrayNode();
                    matching.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(result::add);
                    recordLists.incrementAndGet();
                    ok(exchange, result, matching.size(), Math.max(1, (matching.size() + perPage - 1) / perPage));
                } else if (parts.length == 5 && parts[4].equals("batch") && exchange.getRequestMethod().equals("POST")) {
                    batch(exchange, zoneRecords, JSON.readTree(exchange.getRequestBody()));
                } else {
                    fail(exchange, 405, 10405, "Method not allowed for this route");
                }
            } else {
                fail(exchange, 404, 7000, "No route for that URI");
            }
        }
    }

    private void zones(HttpExchange exchange, Map<String, String> query) throws IOException {
        int perPage = Integer.parseInt(query.getOrDefault("per_page", "20"));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        var matching = zoneIdsByName.entrySet().stream().filter(e -> !query.containsKey("name") || e.getKey().equals(query.get("name"))).toList();
        ArrayNode result = JSON.createArrayNode();
        matching.stream().skip((long) (page - 1) * perPage).limit(perPage)
                .forEach(e -> {
                    ObjectNode zone = result.addObject().put("id", e.getValue()).put("name", e.getKey()).put("status", "active");
                    String[] account = accounts.getOrDefault(e.getKey(), DEFAULT_ACCOUNT);
                    zone.putObject("account").put("id", account[0]).put("name", account[1]);
                });
        ok(exchange, result, matching.size(), Math.max(1, (matching.size() + perPage - 1) / perPage));
    }

    /** All or nothing, as Cloudflare documents the batch: deletes, then posts. */
    private void batch(HttpExchange exchange, Map<String, ObjectNode> zoneRecords, JsonNode body) throws IOException {
        for (JsonNode delete : body.path("deletes")) {
            if (!zoneRecords.containsKey(delete.path("id").asString())) {
                fail(exchange, 400, 81044, "Record does not exist.");
                return;
            }
        }
        body.path("deletes").forEach(d -> zoneRecords.remove(d.path("id").asString()));
        ArrayNode posted = JSON.createArrayNode();
        for (JsonNode post : body.path("posts")) {
            ObjectNode record = ((ObjectNode) post).deepCopy();
            String recordId = UUID.randomUUID().toString().replace("-", "");
            record.put("id", recordId).put("proxied", false);
            zoneRecords.put(recordId, record);
            posted.add(record);
        }
        ObjectNode result = JSON.createObjectNode();
        result.set("posts", posted);
        result.set("deletes", body.path("deletes"));
        ok(exchange, result, -1, -1);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return query;
    }

    private static void ok(HttpExchange exchange, JsonNode result, int count, int pages) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("success", true);
        body.putArray("errors");
        body.putArray("messages");
        body.set("result", result);
        if (count >= 0) {
            body.putObject("result_info").put("count", result.size()).put("total_count", count).put("total_pages", pages);
        }
        send(exchange, 200, body);
    }

    private static void fail(HttpExchange exchange, int status, int code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("success", false);
        body.putArray("errors").addObject().put("code", code).put("message", message);
        body.putArray("messages");
        body.putNull("result");
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        StandInAnswers.answerJson(exchange, status, body.toString());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
