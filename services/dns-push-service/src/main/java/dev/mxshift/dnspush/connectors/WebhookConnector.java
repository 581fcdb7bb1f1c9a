package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    private static final JsonMapper JSON = JsonHttp.JSON;

    private final String id;
    private final String base;
    private final String token;
    private final JsonHttp http;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebhookConnector.class);

    private Capabilities capabilities;

    public WebhookConnector(String id, URI url, String token, Duration timeout) {
        this.id = id;
        this.base = url.toString().replaceAll("/+$", "");
        this.token = token;
        this.http = new JsonHttp(id, timeout);
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
                boolean compareAndSet = body.path("nativeCompareAndSet").asBoolean(false);
                boolean coversTtl = body.path("nativeCompareCoversTtl").asBoolean(false);
                if (coversTtl && !compareAndSet) {
                    // The safe reading of a contradiction: mxshift keeps reading before every write.
                    LOG.warn("webhook {} declares nativeCompareCoversTtl without nativeCompareAndSet; treated as neither, so every write is read first", id);
                    coversTtl = false;
                }
                capabilities = new Capabilities(types, false, body.path("zoneListing").asBoolean(false), false, compareAndSet, coversTtl);
            } catch (ConnectorException e) {
                return new Capabilities(Set.of("MX", "TXT"), false, false, false, false);
            }
        }
        return capabilities;
    }

    @Override
    public Optional<RrSet> read(String zone, String owner, String type) throws ConnectorException {
        JsonHttp.Response response = send("GET", rrsetUrl(zone, owner, type), null, "read " + owner + " " + type);
        return response.status() == 404 ? Optional.empty() : Optional.of(rrSet(response.body()));
    }

    @Override
    public ApplyReceipt apply(RrSetChange change) throws ConnectorException {
        ObjectNode body = JSON.createObjectNode();
        body.set("expectedBefore", json(change.expectedBefore()));
        body.set("target", json(change.target()));
        JsonHttp.Response response = send("PUT", rrsetUrl(change.zone(), change.owner(), change.type()), body.toString(),
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

    /** 2xx, 404 and 409 are answers; everything else is a typed failure. */
    private JsonHttp.Response send(String method, String url, String body, String what) throws ConnectorException {
        JsonHttp.Response response = http.send(method, url, Map.of("Authorization", "Bearer " + token), body, what);
        int status = response.status();
        if (status == 404 && "ZONE_NOT_FOUND".equals(response.body().path("code").asString())) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + what + ": the webhook does not host the zone");
        }
        if (response.ok() || status == 404 || status == 409) {
            return response;
        }
        throw JsonHttp.failure(status, id + ": " + what + ": HTTP " + status + " " + response.body().path("error").asString(""));
    }
}
