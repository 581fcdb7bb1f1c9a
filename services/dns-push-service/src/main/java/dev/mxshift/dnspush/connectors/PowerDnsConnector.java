package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.DnssecActivation;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * PowerDNS Authoritative through its HTTP API ({@code /api/v1}): a record set is read from the zone, replaced or
 * deleted with one PATCH; zones are listed; DNSSEC is enabled with a CSK and the DS read back. PowerDNS has no
 * conditional write, so the engine's read-and-compare guards it. The API key is resolved from its reference at
 * start and kept only in the request header.
 *
 * <p>Settings: {@code url} (e.g. {@code http://127.0.0.1:8081/api/v1}), {@code server-id} (default
 * {@code localhost}), {@code api-key} (a secret reference: {@code env:NAME} or {@code file:/path}).
 */
public final class PowerDnsConnector implements DnsConnector {

    public static final String TYPE = "powerdns";

    /** Finds this connector by its {@code type}. */
    public static final class Factory implements ConnectorFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public DnsConnector create(ConnectorConfig config) throws ConnectorException {
            return new PowerDnsConnector(config.id(), URI.create(config.required("url")), config.optional("server-id", "localhost"),
                    config.secret("api-key"), Duration.ofSeconds(Long.parseLong(config.optional("timeout-seconds", "10"))));
        }
    }

    private static final JsonMapper JSON = JsonHttp.JSON;

    private final String id;
    private final String base;
    private final String apiKey;
    private final JsonHttp http;

    public PowerDnsConnector(String id, URI url, String serverId, String apiKey, Duration timeout) {
        this.id = id;
        this.base = url.toString().replaceAll("/+$", "") + "/servers/" + serverId;
        this.apiKey = apiKey;
        this.http = new JsonHttp(id, timeout);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(Set.of("MX", "TXT", "TLSA", "A", "AAAA", "CNAME", "NS", "DS"), true, true, true, false);
    }

    @Override
    public Optional<RrSet> read(String zone, String owner, String type) throws ConnectorException {
        JsonNode body = send("GET", zoneUrl(zone) + "?rrset_name=" + encode(owner + ".") + "&rrset_type=" + type, null, "read " + owner + " " + type);
        for (JsonNode rrset : body.path("rrsets")) {
            if (rrset.path("name").asString().equalsIgnoreCase(owner + ".") && rrset.path("type").asString().equals(type)) {
                List<String> rdata = new ArrayList<>();
                for (JsonNode record : rrset.path("records")) {
                    if (!record.path("disabled").asBoolean(false)) {
                        rdata.add(record.path("content").asString());
                    }
                }
                return rdata.isEmpty() ? Optional.empty() : Optional.of(new RrSet(owner, type, rrset.path("ttl").asLong(), rdata));
            }
        }
        return Optional.empty();
    }

    @Override
    public ApplyReceipt apply(RrSetChange change) throws ConnectorException {
        ObjectNode rrset = JSON.createObjectNode().put("name", change.owner() + ".").put("type", change.type());
        if (change.target() == null) {
            rrset.put("changetype", "DELETE");
        } else {
            rrset.put("changetype", "REPLACE").put("ttl", change.target().ttl());
            ArrayNode records = rrset.putArray("records");
            for (String content : change.target().rdata()) {
                records.addObject().put("content", content).put("disabled", false);
            }
        }
        ObjectNode patch = JSON.createObjectNode();
        patch.putArray("rrsets").add(rrset);
        send("PATCH", zoneUrl(change.zone()), patch.toString(), "write " + change.owner() + " " + change.type());
        return new ApplyReceipt("PowerDNS " + id + " accepted the PATCH of " + change.owner() + " " + change.type());
    }

    @Override
    public List<String> listZones() throws ConnectorException {
        List<String> zones = new ArrayList<>();
        for (JsonNode zone : send("GET", base + "/zones", null, "list zones")) {
            zones.add(zone.path("name").asString().replaceAll("\\.$", ""));
        }
        return zones;
    }

    @Override
    public DnssecActivation enableDnssec(String zone) throws ConnectorException {
        JsonNode keys = send("GET", zoneUrl(zone) + "/cryptokeys", null, "read the keys of " + zone);
        if (keys.isEmpty()) {
            send("POST", zoneUrl(zone) + "/cryptokeys", "{\"keytype\":\"csk\",\"active\":true,\"algorithm\":\"ECDSAP256SHA256\"}", "sign " + zone);
            keys = send("GET", zoneUrl(zone) + "/cryptokeys", null, "read the keys of " + zone);
        }
        List<String> ds = new ArrayList<>();
        for (JsonNode key : keys) {
            if (key.path("active").asBoolean(false)) {
                key.path("ds").forEach(d -> ds.add(d.asString()));
            }
        }
        return new DnssecActivation(zone, ds);
    }

    private String zoneUrl(String zone) {
        return base + "/zones/" + encode(zone + ".");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private JsonNode send(String method, String url, String body, String what) throws ConnectorException {
        JsonHttp.Response response = http.send(method, url, Map.of("X-API-Key", apiKey), body, what);
        if (response.ok()) {
            return response.body();
        }
        String error = response.body().path("error").asString("");
        throw JsonHttp.failure(response.status(), id + ": " + what + ": HTTP " + response.status()
                + (error.isEmpty() ? "" : " " + error));
    }
}
