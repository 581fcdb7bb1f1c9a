package dev.mxshift.dnspush.connectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
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

/**
 * The reference implementation of the webhook contract (docs/webhook-connector.md), as a hoster would write it in
 * front of their own DNS: here in front of a real server through its RFC 2136 interface (or the Route 53 stand-in),
 * so compare-and-set conflicts come from the platform itself. It declares the platform's own compare: a
 * compare-and-set, and whether that compare covers the TTL. Listens on 127.0.0.1 only.
 */
final class ReferenceWebhookServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final DnsConnector backend;
    private final String token;
    private final Set<String> zones;
    private volatile boolean declaredCompareAndSet;
    private volatile boolean declaredCompareCoversTtl;

    ReferenceWebhookServer(DnsConnector backend, String token, Set<String> zones) throws IOException {
        this.backend = backend;
        this.token = token;
        this.zones = Set.copyOf(zones);
        this.declaredCompareAndSet = backend.capabilities().nativeCompareAndSet();
        this.declaredCompareCoversTtl = backend.capabilities().nativeCompareCoversTtl();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Declares other compare capabilities than the platform's, to see what a connector makes of a wrong declaration. */
    void declare(boolean compareAndSet, boolean compareCoversTtl) {
        this.declaredCompareAndSet = compareAndSet;
        this.declaredCompareCoversTtl = compareCoversTtl;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/dns/v1");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
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
                reply(exchange, 200, caps);
            } else if (path.equals("/zones")) {
                var array = JSON.createArrayNode();
                zones.forEach(array::add);
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
            } else {
                reply(exchange, 404, JSON.createObjectNode().put("error", "no such resource"));
            }
        } catch (ConnectorException e) {
            int status = switch (e.kind()) {
                case RETRYABLE -> 503;
                case AUTHENTICATION -> 502;
                default -> 422;
            };
            reply(exchange, status, JSON.createObjectNode().put("error", e.getMessage()));
        }
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
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
