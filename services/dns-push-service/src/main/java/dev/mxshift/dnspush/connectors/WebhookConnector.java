package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.Denial;
import dev.mxshift.connector.ListedZone;
import dev.mxshift.connector.ZoneReader;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.SigningKey;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneSigning;
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
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A hoster's own DNS API behind the small HTTP contract in docs/webhook-connector.md, so it plugs in without Java
 * code: {@code GET /capabilities}, {@code GET /zones}, {@code GET} and {@code PUT /zones/{zone}/rrsets/{owner}/{type}}
 * (the PUT carries the expected-before set; {@code 409} with the actual set means someone changed it), bearer
 * token authentication. DNSSEC where the webhook declares it ({@code "dnssec": {"version": 1, ...}} in its
 * capabilities): {@code GET /zones/{zone}/dnssec}, {@code POST .../dnssec/sign}, {@code PUT .../dnssec/cds},
 * {@code POST .../dnssec/unsign}. A webhook that declares nothing of it (one written before) is never asked: the four
 * calls answer {@code UNSUPPORTED} here. The DS it names must be the one its DNSKEYs give (computed here). A whole
 * zone for the zone sweep where the webhook declares the records call ({@code "records": {"version": 1}}):
 * {@code GET /zones/{zone}/records}, page by page ({@link #readZone}); one that does not is not swept.
 *
 * <p>Settings: {@code url} (the contract's base URL), {@code token} (a secret reference).
 */
public final class WebhookConnector extends BuiltInConnector implements ListingConnector, ZoneReader {

    public static final String TYPE = "webhook";

    /** Finds this connector by its {@code type}. */
    public static final class Factory extends BuiltInConnectorFactory {
        public Factory() {
            super(TYPE, config -> new WebhookConnector(config.id(), URI.create(config.required("url")), config.secret("token"),
                    timeout(config, 10)));
        }
    }

    private static final JsonMapper JSON = JsonHttp.JSON;

    private final String base;
    private final JsonHttp http;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebhookConnector.class);

    /** The version of the DNSSEC part of the contract this connector speaks. */
    static final int DNSSEC_CONTRACT_VERSION = 1;
    /** The version of the records call (a whole zone) this connector speaks. */
    static final int RECORDS_CONTRACT_VERSION = 1;

    private Capabilities capabilities;
    /** Whether the webhook's platform publishes CDS/CDNSKEY ({@code dnssec.cds}); known once the capabilities are read. */
    private boolean cds;
    /** Why the webhook's DNSSEC is not used, when it is not. */
    private String noDnssec = "the webhook's capabilities were not read";
    /** Why the webhook's records call is not used, or null where it is. */
    private String noRecords = "the webhook's capabilities were not read";

    public WebhookConnector(String id, URI url, String token, Duration timeout) {
        super(id);
        this.base = url.toString().replaceAll("/+$", "");
        this.http = JsonHttp.withBearerToken(id, timeout, token);
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
                noRecords = records(body.path("records"));
                capabilities = new Capabilities(types, dnssec(body.path("dnssec")), body.path("zoneListing").asBoolean(false), false,
                        compareAndSet, coversTtl);
            } catch (ConnectorException e) {
                return new Capabilities(Set.of("MX", "TXT"), false, false, false, false);
            }
        }
        return capabilities;
    }

    /** Why the records call cannot be used (not declared, or another version), or null where it can. */
    private String records(JsonNode declared) {
        if (declared.isMissingNode() || declared.isNull()) {
            return "its capabilities declare no records call (a webhook written before it)";
        }
        if (declared.path("version").asInt(0) != RECORDS_CONTRACT_VERSION) {
            LOG.warn("webhook {} declares version {} of the records call; this mxshift speaks version {}, so it reads no whole zones through it",
                    id, declared.path("version"), RECORDS_CONTRACT_VERSION);
            return "it declares version " + declared.path("version") + " of the records call, and this mxshift speaks version "
                    + RECORDS_CONTRACT_VERSION;
        }
        return null;
    }

    /**
     * {@code GET /zones/{zone}/records}: {@code {"rrsets": [set, ...], "next": cursor-or-null}}, then
     * {@code ?cursor=<next>} until {@code next} is null or absent. Only where the webhook declared the call in the version
     * this connector speaks; otherwise {@code UNSUPPORTED} without asking (the sweep reports the zone as not swept).
     */
    @Override
    public List<RrSet> readZone(String zone) throws ConnectorException {
        String why;
        synchronized (this) {
            capabilities();
            if (capabilities == null) {
                throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": the webhook's capabilities could not be read, so"
                        + " whether it has the records call is not known; try again");
            }
            why = noRecords;
        }
        if (why != null) {
            throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, id + " cannot read whole zones: " + why);
        }
        List<RrSet> sets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            String url = base + "/zones/" + encode(zone) + "/records" + (cursor == null ? "" : "?cursor=" + encode(cursor));
            JsonHttp.Response response = send("GET", url, null, "read the records of " + zone);
            if (response.status() == 404 || response.status() == 409) {
                throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, id + ": read the records of " + zone + ": the webhook declares"
                        + " the records call but answers HTTP " + response.status());
            }
            for (JsonNode node : response.body().path("rrsets")) {
                RrSet set = rrSet(node);
                if (!seen.add(set.owner() + " " + set.type())) {
                    throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": the webhook's records of " + zone + " name "
                            + set.owner() + " " + set.type() + " twice; the contract lists each record set once");
                }
                sets.add(set);
            }
            JsonNode next = response.body().path("next");
            String following = next.isString() && !next.asString().isEmpty() ? next.asString() : null;
            if (following != null && following.equals(cursor)) {
                throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": the webhook's records of " + zone
                        + " answer the cursor " + following + " with itself as the next one");
            }
            cursor = following;
        } while (cursor != null);
        return sets;
    }

    /** Whether the webhook's DNSSEC can be used: declared, in the version this connector speaks. */
    private boolean dnssec(JsonNode declared) {
        if (declared.isMissingNode() || declared.isNull()) {
            noDnssec = "its capabilities declare no dnssec (a webhook written before the DNSSEC calls, or a platform that cannot sign)";
            return false;
        }
        int version = declared.path("version").asInt(0);
        if (version != DNSSEC_CONTRACT_VERSION) {
            LOG.warn("webhook {} declares version {} of the DNSSEC contract; this mxshift speaks version {}, so it manages no DNSSEC through it",
                    id, declared.path("version"), DNSSEC_CONTRACT_VERSION);
            noDnssec = "it declares version " + declared.path("version") + " of the DNSSEC contract, and this mxshift speaks version "
                    + DNSSEC_CONTRACT_VERSION;
            return false;
        }
        cds = declared.path("cds").asBoolean(false);
        return true;
    }

    /**
     * {@code GET /zones/{zone}/dnssec}: whether the platform signs the zone, its keys, the DS and the CDS form. The keys'
     * tags and the DS are checked against the DNSKEYs: a webhook's word alone never reaches a parent.
     */
    @Override
    public ZoneSigning signing(String zone) throws ConnectorException {
        return zoneSigning(zone, dnssecCall("GET", dnssecUrl(zone, ""), null, "read the DNSSEC of " + zone));
    }

    /** {@code POST /zones/{zone}/dnssec/sign}: idempotent at the webhook (a signed zone keeps its keys, none is added). */
    @Override
    public ZoneSigning sign(String zone, SigningRequest request) throws ConnectorException {
        ObjectNode body = JSON.createObjectNode().put("algorithm", request.algorithm()).put("denial", request.denial().name());
        if (request.denial() == Denial.NSEC3) {
            // RFC 9276 section 3.1: no extra iterations, no salt.
            body.putObject("nsec3").put("iterations", 0).put("salt", "");
        }
        return zoneSigning(zone, dnssecCall("POST", dnssecUrl(zone, "/sign"), body.toString(), "sign " + zone));
    }

    /**
     * {@code PUT /zones/{zone}/dnssec/cds} with the mode. Where the webhook declares {@code cds: false} its platform
     * publishes none: PUBLISH and DELETE are {@code UNSUPPORTED} without asking, and NONE is the zone as it is.
     */
    @Override
    public ZoneSigning publishCds(String zone, CdsMode mode) throws ConnectorException {
        requireDnssec("publish CDS for " + zone);
        if (!cds) {
            if (mode == CdsMode.NONE) {
                return signing(zone);
            }
            throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, id + ": the webhook's platform publishes no CDS or CDNSKEY"
                    + " (its capabilities say dnssec.cds false), so " + zone + " cannot " + (mode == CdsMode.PUBLISH ? "ask its parent for a DS"
                    : "ask its parent to remove its DS") + " that way; make the DS path of its parent manual or webhook");
        }
        return zoneSigning(zone, dnssecCall("PUT", dnssecUrl(zone, "/cds"), JSON.createObjectNode().put("mode", mode.name()).toString(),
                "publish CDS " + mode + " for " + zone));
    }

    /** {@code POST /zones/{zone}/dnssec/unsign}; the webhook's {@code 409} (CDS or a DS still published) is a permanent refusal. */
    @Override
    public ZoneSigning unsign(String zone) throws ConnectorException {
        return zoneSigning(zone, dnssecCall("POST", dnssecUrl(zone, "/unsign"), null, "unsign " + zone));
    }

    private String dnssecUrl(String zone, String action) {
        return base + "/zones/" + encode(zone) + "/dnssec" + action;
    }

    private void requireDnssec(String what) throws ConnectorException {
        if (!capabilities().dnssecManagement()) {
            throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, id + " cannot manage DNSSEC (asked to " + what + "): " + noDnssec);
        }
    }

    /**
     * One DNSSEC call: only where the webhook declared DNSSEC; a webhook that declared it but does not know the path
     * ({@code 404} without {@code ZONE_NOT_FOUND}, {@code 405}, {@code 501}) does not support it; {@code 409} is a
     * refusal that no retry changes; the rest as for records.
     */
    private JsonNode dnssecCall(String method, String url, String body, String what) throws ConnectorException {
        requireDnssec(what);
        JsonHttp.Response response = http.send(method, url, body, what);
        int status = response.status();
        String error = response.body().path("error").asString("");
        if (response.ok()) {
            return response.body();
        }
        if (status == 404 && "ZONE_NOT_FOUND".equals(response.body().path("code").asString())) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + what + ": the webhook does not host the zone");
        }
        if (status == 404 || status == 405 || status == 501) {
            throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, id + ": " + what + ": the webhook declares DNSSEC but answers HTTP "
                    + status + (error.isEmpty() ? "" : " " + error));
        }
        if (status == 409) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + what + ": the webhook refused: " + error);
        }
        throw JsonHttp.failure(status, id + ": " + what + ": HTTP " + status + " " + error);
    }

    /** The webhook's answer as the SPI's value, once its key tags, algorithms and DS are those its DNSKEYs give. */
    private ZoneSigning zoneSigning(String zone, JsonNode body) throws ConnectorException {
        try {
            List<SigningKey> keys = new ArrayList<>();
            for (JsonNode key : body.path("keys")) {
                SigningKey computed = ZoneKeys.key(zone, key.path("dnskey").asString());
                if (computed.keyTag() != key.path("keyTag").asInt(-1) || computed.algorithm() != key.path("algorithm").asInt(-1)
                        || computed.flags() != key.path("flags").asInt(-1)) {
                    throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": the webhook names the key " + key + " of " + zone
                            + ", but its DNSKEY gives the key tag " + computed.keyTag() + ", algorithm " + computed.algorithm() + " and flags "
                            + computed.flags());
                }
                keys.add(computed);
            }
            List<String> ds = new ArrayList<>();
            body.path("ds").forEach(d -> ds.add(d.asString().trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT)));
            List<String> computedDs = ZoneKeys.ds(zone, keys);
            if (!new TreeSet<>(ds).equals(new TreeSet<>(computedDs))) {
                throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": the webhook names the DS " + ds + " for " + zone
                        + ", but its keys give " + computedDs + "; not publishing either");
            }
            return new ZoneSigning(zone, body.path("signed").asBoolean(false), keys, computedDs, CdsMode.valueOf(body.path("cds").asString("NONE")));
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": the webhook answered a DNSSEC state of " + zone
                    + " that breaks the contract: " + e.getMessage());
        }
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

    /**
     * {@code GET {url}/zones}: an array of zone names, or of objects {@code {"zone": ..., "account": {"id": ..., "name": ...}}}
     * where the platform knows whose the zone is (docs/webhook-connector.md); both forms may be mixed.
     */
    @Override
    public List<ListedZone> listedZones() throws ConnectorException {
        List<ListedZone> zones = new ArrayList<>();
        for (JsonNode z : send("GET", base + "/zones", null, "list zones").body()) {
            if (z.isString()) {
                zones.add(ListedZone.withoutAccount(z.asString()));
            } else if (z.isObject() && z.path("zone").isString()) {
                zones.add(new ListedZone(z.path("zone").asString(), z.path("account").path("id").asString(""),
                        z.path("account").path("name").asString("")));
            } else {
                throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": the webhook's zone list has " + z
                        + "; each entry must be a zone name or {\"zone\": ..., \"account\": {\"id\": ..., \"name\": ...}}");
            }
        }
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
        JsonHttp.Response response = http.send(method, url, body, what);
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
