package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.Denial;
import dev.mxshift.connector.ListedZone;
import dev.mxshift.connector.ProviderLimits;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.SigningKey;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneReader;
import dev.mxshift.connector.ZoneSigning;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cloudflare DNS through API v4: zones by name ({@code GET /zones?name=}), records of a name and type
 * ({@code GET /zones/{id}/dns_records?name=&type=}), and a record set replaced in one atomic batch
 * ({@code POST /zones/{id}/dns_records/batch}: the current records' ids deleted, the target's posted), and a whole
 * zone's records page by page for the zone sweep ({@link #readZone}). Cloudflare
 * keeps MX priority and TLSA fields apart from {@code content}; this class converts to and from presentation form.
 * Cloudflare has no conditional write: before its batch the connector reads the ids again and refuses if the set
 * is no longer the expected one, which narrows the engine's read-to-write window to one request. A zone's DNSSEC is
 * Cloudflare's {@code /zones/{id}/dnssec} (see {@link #signing}).
 *
 * <p>Settings: {@code token} (a secret reference to an API token with DNS edit rights), {@code url} (default
 * {@code https://api.cloudflare.com/client/v4}). Cloudflare's limit, 1,200 requests per 5 minutes, is what the
 * factory declares ({@link Factory#limits()}).
 */
public final class CloudflareConnector extends BuiltInConnector implements ListingConnector, ZoneReader {

    public static final String TYPE = "cloudflare";

    /** Finds this connector by its {@code type}. */
    public static final class Factory extends BuiltInConnectorFactory {
        public Factory() {
            super(TYPE, config -> new CloudflareConnector(config.id(), URI.create(config.optional("url", "https://api.cloudflare.com/client/v4")),
                    config.secret("token"), timeout(config, 15)));
        }

        /** Cloudflare's published limit: 1,200 requests per 5 minutes per user; 8 calls in flight. */
        @Override
        public ProviderLimits limits() {
            return new ProviderLimits(1200, Duration.ofMinutes(5), 8, 8, 4, Duration.ofMillis(500));
        }
    }

    private static final JsonMapper JSON = JsonHttp.JSON;
    /** Records a page of a whole-zone read; Cloudflare documents 100 as the default and allows more. */
    static final int RECORDS_PER_PAGE = 500;

    private final String base;
    private final JsonHttp http;
    private final Map<String, String> zoneIds = new ConcurrentHashMap<>();

    public CloudflareConnector(String id, URI url, String token, Duration timeout) {
        super(id);
        this.base = url.toString().replaceAll("/+$", "");
        this.http = JsonHttp.withBearerToken(id, timeout, token);
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(Set.of("MX", "TXT", "TLSA", "A", "AAAA", "CNAME", "NS"), true, true, true, false);
    }

    @Override
    public Optional<RrSet> read(String zone, String owner, String type) throws ConnectorException {
        return rrSet(owner, type, records(zoneId(zone), owner, type));
    }

    private static Optional<RrSet> rrSet(String owner, String type, List<JsonNode> records) {
        if (records.isEmpty()) {
            return Optional.empty();
        }
        List<String> rdata = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (JsonNode record : records) {
            rdata.add(presentation(record));
            long recordTtl = record.path("ttl").asLong(300);
            ttl = Math.min(ttl, recordTtl == 1 ? 300 : recordTtl); // 1 is Cloudflare's "automatic", which is 300 s
        }
        return Optional.of(new RrSet(owner, type, ttl, rdata));
    }

    @Override
    public ApplyReceipt apply(RrSetChange change) throws ConnectorException {
        String zoneId = zoneId(change.zone());
        List<JsonNode> current = records(zoneId, change.owner(), change.type());
        Optional<RrSet> now = rrSet(change.owner(), change.type(), current);
        boolean expected = change.expectedBefore() == null ? now.isEmpty() : now.isPresent() && change.expectedBefore().sameAs(now.get());
        if (!expected) {
            throw new ConnectorException(ConnectorException.Kind.CONFLICT, id + ": " + change.owner() + " " + change.type()
                    + " changed at Cloudflare since it was read; nothing was written");
        }
        ObjectNode batch = JSON.createObjectNode();
        ArrayNode deletes = batch.putArray("deletes");
        current.forEach(r -> deletes.addObject().put("id", r.path("id").asString()));
        ArrayNode posts = batch.putArray("posts");
        if (change.target() != null) {
            for (String rdata : change.target().rdata()) {
                posts.add(record(change.owner(), change.type(), change.target().ttl(), rdata));
            }
        }
        send("POST", base + "/zones/" + zoneId + "/dns_records/batch", batch.toString(), "write " + change.owner() + " " + change.type());
        return new ApplyReceipt("Cloudflare took the batch for " + change.owner() + " " + change.type() + " in zone " + zoneId);
    }

    /**
     * {@code GET /zones/{id}/dns_records?per_page=&page=}, page after page until {@code result_info.total_pages}, grouped
     * into record sets by name and type in the order Cloudflare lists them. Cloudflare's listing has no SOA (Cloudflare
     * writes the SOA itself and keeps it out of its records); NS at the apex is there only where the zone has its own.
     */
    @Override
    public List<RrSet> readZone(String zone) throws ConnectorException {
        String zoneId = zoneId(zone);
        Map<String, List<JsonNode>> sets = new java.util.LinkedHashMap<>();
        for (int page = 1; ; page++) {
            JsonNode body = send("GET", base + "/zones/" + zoneId + "/dns_records?per_page=" + RECORDS_PER_PAGE + "&page=" + page, null,
                    "read the records of " + zone + " (page " + page + ")");
            for (JsonNode record : body.path("result")) {
                String owner = record.path("name").asString().toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", "");
                sets.computeIfAbsent(owner + " " + record.path("type").asString(), k -> new ArrayList<>()).add(record);
            }
            if (page >= body.path("result_info").path("total_pages").asInt(1)) {
                break;
            }
        }
        List<RrSet> zoneSets = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> set : sets.entrySet()) {
            String[] ownerType = set.getKey().split(" ", 2);
            rrSet(ownerType[0], ownerType[1], set.getValue()).ifPresent(zoneSets::add);
        }
        return zoneSets;
    }

    /** {@code GET /zones}, page by page ({@code result_info.total_pages}); each zone's {@code account} (id and name) as Cloudflare names it. */
    @Override
    public List<ListedZone> listedZones() throws ConnectorException {
        List<ListedZone> zones = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = send("GET", base + "/zones?per_page=50&page=" + page, null, "list zones");
            body.path("result").forEach(z -> zones.add(new ListedZone(z.path("name").asString(), z.path("account").path("id").asString(""),
                    z.path("account").path("name").asString(""))));
            if (page >= body.path("result_info").path("total_pages").asInt(1)) {
                return zones;
            }
        }
    }

    /**
     * Cloudflare's DNSSEC states ({@code GET /zones/{id}/dnssec}, documented under "DNSSEC states"): in {@code pending}
     * (no DS seen at the registrar yet) and {@code active} it signs and publishes CDS/CDNSKEY; in {@code pending-disabled}
     * (the DS still at the registrar) and {@code disabled} it still signs but publishes the RFC 8078 delete form; after
     * {@code DELETE /zones/{id}/dnssec} ({@code disabled} with no {@code modified_on}) it signs nothing. The DS is
     * computed here from the key Cloudflare names, and must be the one Cloudflare names.
     */
    @Override
    public ZoneSigning signing(String zone) throws ConnectorException {
        JsonNode dnssec = send("GET", base + "/zones/" + zoneId(zone) + "/dnssec", null, "read the DNSSEC of " + zone).path("result");
        String status = dnssec.path("status").asString("disabled");
        boolean deleted = status.equals("disabled") && (dnssec.path("modified_on").isNull() || dnssec.path("modified_on").isMissingNode());
        if (deleted || dnssec.path("public_key").asString("").isEmpty()) {
            return ZoneSigning.unsigned(zone);
        }
        SigningKey key = ZoneKeys.key(zone, dnssec.path("flags").asInt() + " 3 " + dnssec.path("algorithm").asString() + " "
                + dnssec.path("public_key").asString());
        List<String> ds = ZoneKeys.ds(zone, List.of(key));
        String theirs = dnssec.path("key_tag").asInt() + " " + dnssec.path("algorithm").asString() + " " + dnssec.path("digest_type").asString()
                + " " + dnssec.path("digest").asString().toUpperCase(java.util.Locale.ROOT);
        if (!ds.contains(theirs)) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": Cloudflare names the DS " + theirs + " for " + zone
                    + ", but its key gives " + ds + "; not publishing either");
        }
        CdsMode cds = status.equals("pending") || status.equals("active") ? CdsMode.PUBLISH : CdsMode.DELETE;
        return new ZoneSigning(zone, true, List.of(key), ds, cds);
    }

    /**
     * {@code PATCH /zones/{id}/dnssec} with {@code status: active} where Cloudflare does not sign with CDS published
     * already; Cloudflare makes the key (ECDSA P-256, algorithm 13, its only one) and keeps it while the zone stays
     * signed. NSEC3 through {@code dnssec_use_nsec3} (Cloudflare's NSEC3 has no extra iterations and no salt).
     */
    @Override
    public ZoneSigning sign(String zone, SigningRequest request) throws ConnectorException {
        if (request.algorithm() != 13) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": Cloudflare signs with ECDSA P-256 (algorithm 13) only, not "
                    + request.algorithm());
        }
        ZoneSigning now = signing(zone);
        boolean nsec3 = request.denial() == Denial.NSEC3;
        JsonNode current = send("GET", base + "/zones/" + zoneId(zone) + "/dnssec", null, "read the DNSSEC of " + zone).path("result");
        if (now.cds() == CdsMode.PUBLISH && current.path("dnssec_use_nsec3").asBoolean(false) == nsec3) {
            return now;
        }
        ObjectNode body = JSON.createObjectNode().put("status", "active").put("dnssec_use_nsec3", nsec3);
        send("PATCH", base + "/zones/" + zoneId(zone) + "/dnssec", body.toString(), "sign " + zone);
        return signing(zone);
    }

    /**
     * Cloudflare publishes CDS/CDNSKEY for every zone it signs and has no switch for them: PUBLISH is the signed state
     * ({@code active} again after a delete form), DELETE is {@code status: disabled} (it keeps signing and serves the
     * delete form), NONE is possible only for a zone it does not sign.
     */
    @Override
    public ZoneSigning publishCds(String zone, CdsMode mode) throws ConnectorException {
        ZoneSigning now = signing(zone);
        if (now.cds() == mode) {
            return now;
        }
        String status = switch (mode) {
            case PUBLISH -> {
                if (!now.signed()) {
                    throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + zone + " is not signed, so it cannot publish CDS; sign it first");
                }
                yield "active";
            }
            case DELETE -> {
                if (!now.signed()) {
                    throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + zone + " is not signed, so it cannot publish the CDS delete form");
                }
                yield "disabled";
            }
            case NONE -> throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, id + ": Cloudflare publishes CDS for every zone it"
                    + " signs (" + now.cds() + " for " + zone + "); withdraw them with the delete form, then unsign");
        };
        send("PATCH", base + "/zones/" + zoneId(zone) + "/dnssec", JSON.createObjectNode().put("status", status).toString(),
                "set the DNSSEC status of " + zone + " to " + status);
        return signing(zone);
    }

    /**
     * {@code DELETE /zones/{id}/dnssec}, which Cloudflare allows only in {@code disabled}: once it no longer sees the DS
     * at the registrar. In {@code pending-disabled} the refusal is retryable (the DS is still there; try later).
     */
    @Override
    public ZoneSigning unsign(String zone) throws ConnectorException {
        ZoneSigning now = signing(zone);
        if (!now.signed()) {
            return now;
        }
        if (now.cds() == CdsMode.PUBLISH) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + zone + " still publishes CDS for its key, so its parent"
                    + " may still take or hold a DS for it; publish the delete form (publishCds DELETE), wait until the DS is gone from the"
                    + " parent and caches, then unsign");
        }
        String status = send("GET", base + "/zones/" + zoneId(zone) + "/dnssec", null, "read the DNSSEC of " + zone).path("result")
                .path("status").asString();
        if (status.equals("pending-disabled")) {
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": Cloudflare still sees the DS of " + zone + " at the registrar"
                    + " (pending-disabled) and keeps signing until it is gone; try again later");
        }
        send("DELETE", base + "/zones/" + zoneId(zone) + "/dnssec", null, "remove the DNSSEC records of " + zone);
        return signing(zone);
    }

    private String zoneId(String zone) throws ConnectorException {
        String known = zoneIds.get(zone);
        if (known != null) {
            return known;
        }
        JsonNode result = send("GET", base + "/zones?name=" + encode(zone), null, "find zone " + zone).path("result");
        if (result.isEmpty()) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": Cloudflare has no zone " + zone + " for this token");
        }
        String zoneId = result.get(0).path("id").asString();
        zoneIds.put(zone, zoneId);
        return zoneId;
    }

    private List<JsonNode> records(String zoneId, String owner, String type) throws ConnectorException {
        List<JsonNode> records = new ArrayList<>();
        send("GET", base + "/zones/" + zoneId + "/dns_records?per_page=100&type=" + type + "&name=" + encode(owner), null,
                "read " + owner + " " + type).path("result").forEach(records::add);
        return records;
    }

    /** Cloudflare's record object for one record in presentation form. */
    static ObjectNode record(String owner, String type, long ttl, String rdata) throws ConnectorException {
        ObjectNode record = JSON.createObjectNode().put("type", type).put("name", owner).put("ttl", ttl);
        String[] parts = rdata.trim().split("\\s+");
        switch (type) {
            case "MX" -> record.put("priority", Integer.parseInt(parts[0])).put("content", withoutDot(parts[1]));
            case "TLSA" -> record.putObject("data").put("usage", Integer.parseInt(parts[0])).put("selector", Integer.parseInt(parts[1]))
                    .put("matching_type", Integer.parseInt(parts[2])).put("certificate", String.join("", java.util.Arrays.copyOfRange(parts, 3, parts.length)));
            case "TXT" -> record.put("content", rdata);
            case "CNAME", "NS" -> record.put("content", withoutDot(parts[0]));
            case "SRV" -> record.putObject("data").put("priority", Integer.parseInt(parts[0])).put("weight", Integer.parseInt(parts[1]))
                    .put("port", Integer.parseInt(parts[2])).put("target", withoutDot(parts[3]));
            default -> record.put("content", rdata);
        }
        return record;
    }

    /** One Cloudflare record in presentation form. */
    static String presentation(JsonNode record) {
        String type = record.path("type").asString();
        String content = record.path("content").asString();
        return switch (type) {
            case "MX" -> record.path("priority").asInt() + " " + withDot(content);
            case "CNAME", "NS" -> withDot(content);
            // Cloudflare keeps an SRV's fields in data (priority, weight, port, target) and its priority apart from content.
            case "SRV" -> {
                JsonNode data = record.path("data");
                yield data.path("priority").asInt() + " " + data.path("weight").asInt() + " " + data.path("port").asInt() + " "
                        + withDot(data.path("target").asString());
            }
            case "TXT" -> content.startsWith("\"") ? content : "\"" + content.replace("\"", "\\\"") + "\"";
            case "TLSA" -> {
                JsonNode data = record.path("data");
                yield data.path("usage").asInt() + " " + data.path("selector").asInt() + " " + data.path("matching_type").asInt() + " "
                        + data.path("certificate").asString().toUpperCase(java.util.Locale.ROOT);
            }
            default -> content;
        };
    }

    private static String withDot(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    private static String withoutDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private JsonNode send(String method, String url, String body, String what) throws ConnectorException {
        JsonHttp.Response response = http.send(method, url, body, what);
        if (response.ok() && response.body().path("success").asBoolean(false)) {
            return response.body();
        }
        StringBuilder errors = new StringBuilder();
        response.body().path("errors").forEach(e -> errors.append(errors.length() == 0 ? "" : "; ").append(e.path("code").asInt())
                .append(' ').append(e.path("message").asString()));
        throw JsonHttp.failure(response.status(), id + ": " + what + ": HTTP " + response.status()
                + (errors.length() == 0 ? "" : " (" + errors + ")"));
    }
}
