package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A hoster's own DNS API behind the small HTTP contract in docs/webhook-connector.md, so it plugs in without Java
 * code: {@code GET /capabilities}, {@code GET /zones}, {@code GET} and {@code PUT /zones/{zone}/rrsets/{owner}/{type}}
 * (the PUT carries the expected-before set; {@code 409} with the actual set means someone changed it), bearer
 * token authentication.
 *
 * <p>Settings: {@code url} (the contract's base URL), {@code token} (a secret reference).
 */
public final class WebhookConnector implements DnsConnector {

    public static final String TYPE = "webhook";

    /** Finds this connector by its {@code type}. */
    public static final class Factory implements ConnectorFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public DnsConnector create(ConnectorConfig config) throws ConnectorException {
            return new WebhookConnector(config.id(), URI.create(config.required("url")), config.secret("token"),
                    Duration.ofSeconds(Long.parseLong(config.optional("timeout-seconds", "10"))));
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String id;
    private final String base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;
    private Capabilities capabilities;

    public WebhookConnector(String id, URI url, String token, Duration timeout) {
        this.id = id;
        this.base = url.toString().replaceAll("/+$", "");
        this.token = token;
        this.timeout = timeout;
        // HTTP/1.1: no h2c upgrade attempt on plain-HTTP APIs (PowerDNS and most in-house ones speak 1.1).
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public String id() {
        return id;
    }

    /** Asked of the webhook once; until it answers, a minimal set (MX and TXT, nothing native). */
    @Override
    public synchronized Capabilities capabilities() {
        if (capabilities == null) {
            try {
                JsonNode body = send("GET", base + "/capabilities", null, "read capabilities").body();
                Set<String> types = new HashSet<>();
                body.path("recordTypes").forEach(t -> types.add(t.asString()));
                capabilities = new Capabilities(types, false, body.path("zoneListing").asBoolean(false), false,
                        body.path("nativeCompareAndSet").asBoolean(false));
            } catch (ConnectorException e) {
                return new Capabilities(Set.of("MX", "TXT"), false, false, false, false);
            }
        }
        return capabilities;
    }

    @Override
    public Optional<RrSet> read(String zone, String owner, String type) throws ConnectorException {
        Response response = send("GET", rrsetUrl(zone, owner, type), null, "read " + owner + " " + type);
        return response.status() == 404 ? Optional.empty() : Optional.of(rrSet(response.body()));
    }

    @Override
    public ApplyReceipt apply(RrSetChange change) throws ConnectorException {
        ObjectNode body = JSON.createObjectNode();
        body.set("expectedBefore", json(change.expectedBefore()));
        body.set("target", json(change.target()));
        Response response = send("PUT", rrsetUrl(change.zone(), change.owner(), change.type()), body.toString(),
                "write " + change.owner() + " " + change.type());
        if (response.status() == 409) {
            JsonNode actual = response.body().path("actual");
            throw new ConnectorException(ConnectorException.Kind.CONFLICT, id + ": the webhook refused the write: " + change.owner() + " "
                    + change.type() + " is " + (actual.isNull() || actual.isMissingNode() ? "absent" : rrSet(actual)) + ", not what was expected");
        }
        if (response.status() == 404) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": the webhook does not host the zone " + change.zone());
        }
        return new ApplyReceipt(response.body().path("evidence").asString(id + " took the change"));
    }

    @Override
    public List<String> listZones() throws ConnectorException {
        List<String> zones = new ArrayList<>();
        send("GET", base + "/zones", null, "list zones").body().forEach(z -> zones.add(z.asString()));
        return zones;
    }

    private String rrsetUrl(String zone, String owner, String type) {
        return base + "/zones/" + encode(zone) + "/rrsets/" + encode(owner) + "/" + encode(type);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static JsonNode json(RrSet set) {
        if (set == null) {
            return JSON.nullNode();
        }
        ObjectNode node = JSON.createObjectNode().put("owner", set.owner()).put("type", set.type()).put("ttl", set.ttl());
        set.rdata().forEach(node.putArray("rdata")::add);
        return node;
    }

    private RrSet rrSet(JsonNode node) throws ConnectorException {
        try {
            List<String> rdata = new ArrayList<>();
            node.path("rdata").forEach(r -> rdata.add(r.asString()));
            return new RrSet(node.path("owner").asString(), node.path("type").asString(), node.path("ttl").asLong(), rdata);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": the webhook answered a record set that breaks the contract: " + e.getMessage());
        }
    }

    private record Response(int status, JsonNode body) {
    }

    /** 2xx, 404 and 409 are answers; everything else is a typed failure. */
    private Response send(String method, String url, String body, String what) throws ConnectorException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": " + what + ": " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": " + what + ": interrupted", e);
        }
        int status = response.statusCode();
        JsonNode json;
        try {
            json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (JacksonException e) {
            json = JSON.createObjectNode();
        }
        if (status == 404 && "ZONE_NOT_FOUND".equals(json.path("code").asString())) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + what + ": the webhook does not host the zone");
        }
        if (status >= 200 && status < 300 || status == 404 || status == 409) {
            return new Response(status, json);
        }
        ConnectorException.Kind kind = status == 401 || status == 403 ? ConnectorException.Kind.AUTHENTICATION
                : status == 429 || status >= 500 ? ConnectorException.Kind.RETRYABLE : ConnectorException.Kind.PERMANENT;
        throw new ConnectorException(kind, id + ": " + what + ": HTTP " + status + " " + json.path("error").asString(""));
    }
}
