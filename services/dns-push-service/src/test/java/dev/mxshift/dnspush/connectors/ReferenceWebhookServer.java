package dev.mxshift.dnspush.connectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.Denial;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.SigningKey;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneReader;
import dev.mxshift.connector.ZoneSigning;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference implementation of the webhook contract (docs/webhook-connector.md), as a hoster would write it in
 * front of their own DNS: here in front of a real server through its RFC 2136 interface (or the Route 53 stand-in),
 * so compare-and-set conflicts come from the platform itself. It declares the platform's own compare: a
 * compare-and-set, and whether that compare covers the TTL. Where the platform manages DNSSEC it declares version 1 of
 * the contract's DNSSEC calls and answers them through the platform, with whether the platform publishes CDS (the
 * Route 53 stand-in publishes none); {@link #declareDnssec} makes it answer as a webhook written before them, or as
 * one of another version. Where the platform reads whole zones it declares version 1 of the records call and answers it
 * a few sets a page ({@link #declareRecords} to declare another or none). Listens on 127.0.0.1 only.
 */
public final class ReferenceWebhookServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final DnsConnector backend;
    private final String token;
    private final Set<String> zones;
    private final java.util.Map<String, String[]> accounts = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean declaredCompareAndSet;
    private volatile boolean declaredCompareCoversTtl;
    /** The DNSSEC contract's version declared, or null to declare none (and answer its paths 404, as before them). */
    private volatile Integer dnssecVersion;
    private volatile boolean publishesCds = true;
    private volatile boolean misstatedDs;
    private final AtomicInteger dnssecRequests = new AtomicInteger();
    /** The records call's version declared, or null to declare none (as a webhook written before it). */
    private volatile Integer recordsVersion;
    /** Record sets a page of the records call: small, so a zone of the tests takes several pages. */
    static final int RECORDS_PAGE = 3;

    /** Names the zone's account in the zone list ({@code {"zone": ..., "account": {"id": ..., "name": ...}}}). */
    void account(String zone, String id, String name) {
        accounts.put(zone, new String[]{id, name});
    }

    public ReferenceWebhookServer(DnsConnector backend, String token, Set<String> zones) throws IOException {
        this.backend = backend;
        this.token = token;
        this.zones = java.util.concurrent.ConcurrentHashMap.newKeySet();
        this.zones.addAll(zones);
        this.declaredCompareAndSet = backend.capabilities().nativeCompareAndSet();
        this.declaredCompareCoversTtl = backend.capabilities().nativeCompareCoversTtl();
        this.dnssecVersion = backend.capabilities().dnssecManagement() ? 1 : null;
        this.recordsVersion = backend instanceof ZoneReader ? 1 : null;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Declares other compare capabilities than the platform's, to see what a connector makes of a wrong declaration. */
    void declare(boolean compareAndSet, boolean compareCoversTtl) {
        this.declaredCompareAndSet = compareAndSet;
        this.declaredCompareCoversTtl = compareCoversTtl;
    }

    /**
     * Declares version {@code version} of the DNSSEC calls (null: none, as a webhook written before them, whose
     * DNSSEC paths are unknown), and whether the platform publishes CDS.
     */
    void declareDnssec(Integer version, boolean cds) {
        this.dnssecVersion = version;
        this.publishesCds = cds;
    }

    /** Declares version {@code version} of the records call (null: none, as a webhook written before it). */
    public void declareRecords(Integer version) {
        this.recordsVersion = version;
    }

    /** Answers a DS its keys do not give (each digest's last digit changed), as a broken webhook would. */
    void misstateDs(boolean misstate) {
        misstatedDs = misstate;
    }

    /** The DS with its digest's last hex digit changed. */
    static String misstated(String ds) {
        char last = ds.charAt(ds.length() - 1);
        return ds.substring(0, ds.length() - 1) + (last == '0' ? '1' : '0');
    }

    /** Hosts one more zone of the platform (one a test added to it). */
    void host(String zone) {
        zones.add(zone);
    }

    /** Requests to the DNSSEC paths so far. */
    int dnssecRequests() {
        return dnssecRequests.get();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/dns/v1");
    }

    private void handle(HttpExchange exchange) throws IOException {
        // The platform's failure is answered on the open exchange (a catch of the try-with-resources would run after
        // the exchange is closed, and the client would hear nothing).
        try (exchange) {
            try {
                route(exchange);
            } catch (ConnectorException e) {
                int status = switch (e.kind()) {
                    case RETRYABLE -> 503;
                    case AUTHENTICATION -> 502;
                    case UNSUPPORTED -> 501;
                    default -> 422;
                };
                ObjectNode error = JSON.createObjectNode().put("error", e.getMessage());
                if (e.kind() == ConnectorException.Kind.UNSUPPORTED) {
                    error.put("code", "UNSUPPORTED");
                }
                reply(exchange, status, error);
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException, ConnectorException {
        if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, 401, JSON.createObjectNode().put("error", "unknown token"));
            return;
        }
        String path = exchange.getRequestURI().getRawPath().replaceFirst("^/dns/v1", "");
        String[] parts = path.split("/");
        if (path.equals("/capabilities")) {
            ObjectNode caps = JSON.createObjectNode().put("zoneListing", true).put("nativeCompareAndSet", declaredCompareAndSet)
                    .put("nativeCompareCoversTtl", declaredCompareCoversTtl);
            List.of("MX", "TXT", "TLSA").forEach(caps.putArray("recordTypes")::add);
            if (dnssecVersion != null) {
                caps.putObject("dnssec").put("version", dnssecVersion).put("cds", publishesCds);
            }
            if (recordsVersion != null) {
                caps.putObject("records").put("version", recordsVersion);
            }
            reply(exchange, 200, caps);
        } else if (path.equals("/zones")) {
            // Both forms of the contract: a zone whose account the platform knows as an object, the others as names.
            var array = JSON.createArrayNode();
            for (String zone : new java.util.TreeSet<>(zones)) {
                String[] account = accounts.get(zone);
                if (account == null) {
                    array.add(zone);
                } else {
                    array.addObject().put("zone", zone).putObject("account").put("id", account[0]).put("name", account[1]);
                }
            }
            reply(exchange, 200, array);
        } else if (parts.length == 6 && parts[1].equals("zones") && parts[3].equals("rrsets")) {
            String zone = decode(parts[2]);
            String owner = decode(parts[4]);
            String type = decode(parts[5]);
            if (!zones.contains(zone)) {
                reply(exchange, 404, JSON.createObjectNode().put("error", "no such zone").put("code", "ZONE_NOT_FOUND"));
                return;
            }
            if (exchange.getRequestMethod().equals("GET")) {
                Optional<RrSet> set = backend.read(zone, owner, type);
                reply(exchange, set.isPresent() ? 200 : 404, set.isPresent() ? json(set.get()) : JSON.createObjectNode().put("error", "no such record set"));
            } else if (exchange.getRequestMethod().equals("PUT")) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                try {
                    var receipt = backend.apply(new RrSetChange(zone, owner, type, rrSet(body.path("expectedBefore")), rrSet(body.path("target"))));
                    reply(exchange, 200, JSON.createObjectNode().put("evidence", receipt.evidence()));
                } catch (ConnectorException e) {
                    if (e.kind() != ConnectorException.Kind.CONFLICT) {
                        throw e;
                    }
                    ObjectNode conflict = JSON.createObjectNode();
                    conflict.set("actual", backend.read(zone, owner, type).map(ReferenceWebhookServer::json).orElse(JSON.nullNode()));
                    reply(exchange, 409, conflict);
                }
            } else {
                reply(exchange, 405, JSON.createObjectNode().put("error", "GET or PUT"));
            }
        } else if (parts.length == 4 && parts[1].equals("zones") && parts[3].equals("records") && recordsVersion != null) {
            records(exchange, decode(parts[2]));
        } else if (parts.length >= 4 && parts.length <= 5 && parts[1].equals("zones") && parts[3].equals("dnssec")) {
            dnssecRequests.incrementAndGet();
            if (dnssecVersion == null) {
                // As a webhook written before the DNSSEC calls: it knows no such path.
                reply(exchange, 404, JSON.createObjectNode().put("error", "no such resource"));
            } else {
                dnssec(exchange, decode(parts[2]), parts.length == 5 ? parts[4] : "");
            }
        } else {
            reply(exchange, 404, JSON.createObjectNode().put("error", "no such resource"));
        }
    }

    /**
     * The records call of version 1: the zone's record sets through the platform's whole-zone read, {@link #RECORDS_PAGE}
     * a page; {@code next} is the index of the next page's first set, as the cursor to ask for it with.
     */
    private void records(HttpExchange exchange, String zone) throws IOException, ConnectorException {
        if (!zones.contains(zone)) {
            reply(exchange, 404, JSON.createObjectNode().put("error", "no such zone").put("code", "ZONE_NOT_FOUND"));
            return;
        }
        String raw = exchange.getRequestURI().getRawQuery();
        int from = raw != null && raw.startsWith("cursor=") ? Integer.parseInt(decode(raw.substring("cursor=".length()))) : 0;
        List<RrSet> sets = ((ZoneReader) backend).readZone(zone);
        ObjectNode page = JSON.createObjectNode();
        var rrsets = page.putArray("rrsets");
        sets.stream().skip(from).limit(RECORDS_PAGE).forEach(set -> rrsets.add(json(set)));
        if (from + RECORDS_PAGE < sets.size()) {
            page.put("next", Integer.toString(from + RECORDS_PAGE));
        } else {
            page.putNull("next");
        }
        reply(exchange, 200, page);
    }

    /** The DNSSEC calls of version 1: read, sign, CDS, unsign, each answered with the zone's state. */
    private void dnssec(HttpExchange exchange, String zone, String action) throws IOException, ConnectorException {
        if (!zones.contains(zone)) {
            reply(exchange, 404, JSON.createObjectNode().put("error", "no such zone").put("code", "ZONE_NOT_FOUND"));
            return;
        }
        String method = exchange.getRequestMethod();
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        JsonNode body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        ZoneSigning state;
        switch (method + " " + action) {
            case "GET " -> state = backend.signing(zone);
            case "POST sign" -> {
                Denial denial = Denial.valueOf(body.path("denial").asString("NSEC"));
                JsonNode nsec3 = body.path("nsec3");
                if (denial == Denial.NSEC3 && (nsec3.path("iterations").asInt(-1) != 0 || !nsec3.path("salt").asString("-").isEmpty())) {
                    reply(exchange, 422, JSON.createObjectNode().put("error", "NSEC3 is signed with 0 extra iterations and an empty salt"
                            + " (RFC 9276), not " + nsec3));
                    return;
                }
                state = backend.sign(zone, new SigningRequest(body.path("algorithm").asInt(13), denial));
            }
            case "PUT cds" -> state = backend.publishCds(zone, CdsMode.valueOf(body.path("mode").asString()));
            case "POST unsign" -> {
                try {
                    state = backend.unsign(zone);
                } catch (ConnectorException e) {
                    if (e.kind() != ConnectorException.Kind.PERMANENT) {
                        throw e;
                    }
                    // The platform refuses while CDS or a DS is still published: a refusal no retry changes.
                    reply(exchange, 409, JSON.createObjectNode().put("error", e.getMessage()).put("code", "REFUSED"));
                    return;
                }
            }
            default -> {
                reply(exchange, 405, JSON.createObjectNode().put("error", "GET dnssec, POST dnssec/sign, PUT dnssec/cds or POST dnssec/unsign"));
                return;
            }
        }
        reply(exchange, 200, json(state));
    }

    private JsonNode json(ZoneSigning state) {
        ObjectNode node = JSON.createObjectNode().put("zone", state.zone()).put("signed", state.signed()).put("cds", state.cds().name());
        var keys = node.putArray("keys");
        for (SigningKey key : state.keys()) {
            keys.addObject().put("keyTag", key.keyTag()).put("algorithm", key.algorithm()).put("flags", key.flags()).put("dnskey", key.dnskey());
        }
        var ds = node.putArray("ds");
        state.ds().forEach(d -> ds.add(misstatedDs ? misstated(d) : d));
        return node;
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    private static JsonNode json(RrSet set) {
        ObjectNode node = JSON.createObjectNode().put("owner", set.owner()).put("type", set.type()).put("ttl", set.ttl());
        set.rdata().forEach(node.putArray("rdata")::add);
        return node;
    }

    private static RrSet rrSet(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        List<String> rdata = new ArrayList<>();
        node.path("rdata").forEach(r -> rdata.add(r.asString()));
        return new RrSet(node.path("owner").asString(), node.path("type").asString(), node.path("ttl").asLong(), rdata);
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        StandInAnswers.answerJson(exchange, status, body.toString());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
