package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ProviderLimits;
import dev.mxshift.connector.Denial;
import dev.mxshift.connector.ListedZone;
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

/**
 * PowerDNS Authoritative through its HTTP API ({@code /api/v1}): a record set is read from the zone, replaced or
 * deleted with one PATCH; zones are listed; a zone is signed with one CSK (PowerDNS signs live, at every answer),
 * publishes CDS/CDNSKEY through zone metadata, and is unsigned by removing its keys. PowerDNS has no
 * conditional write, so the engine's read-and-compare guards it. The API key is resolved from its reference at
 * start and kept only in the request header.
 *
 * <p>Settings: {@code url} (e.g. {@code http://127.0.0.1:8081/api/v1}), {@code server-id} (default
 * {@code localhost}), {@code api-key} (a secret reference: {@code env:NAME} or {@code file:/path}).
 */
public final class PowerDnsConnector extends BuiltInConnector implements ZoneReader, ListingConnector {

    public static final String TYPE = "powerdns";

    /** Finds this connector by its {@code type}. */
    public static final class Factory extends BuiltInConnectorFactory {
        public Factory() {
            super(TYPE, config -> new PowerDnsConnector(config.id(), URI.create(config.required("url")), config.optional("server-id", "localhost"),
                    config.secret("api-key"), timeout(config, 10)));
        }

        /**
         * PowerDNS publishes no rate limit, so the self-hosted bounds, but more patient tries: PowerDNS on SQLite answers
         * HTTP 500 ("database is locked") when another writer committed between a PATCH's read and its write, which two
         * push instances do (bench/cluster-failures: 174 such answers in one run, and a domain whose 4 tries within
         * about 0.7 s all met one ended FAILED). Six tries from 250 ms, doubling (about 8 s in all), outlast that.
         */
        @Override
        public ProviderLimits limits() {
            ProviderLimits usual = ProviderLimits.selfHosted();
            return new ProviderLimits(usual.requestsPerPeriod(), usual.period(), usual.maxConcurrent(), usual.maxConcurrentWrites(),
                    6, Duration.ofMillis(250));
        }
    }

    private static final JsonMapper JSON = JsonHttp.JSON;

    private final String base;
    private final JsonHttp http;

    public PowerDnsConnector(String id, URI url, String serverId, String apiKey, Duration timeout) {
        super(id);
        this.base = url.toString().replaceAll("/+$", "") + "/servers/" + serverId;
        this.http = new JsonHttp(id, timeout, Map.of("X-API-Key", apiKey));
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(Set.of("MX", "TXT", "TLSA", "A", "AAAA", "CNAME", "NS", "DS", "CDS", "CDNSKEY"), true, true, true, false);
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

    /** {@code GET .../zones}: each zone with its {@code account}, the free-text owner PowerDNS keeps per zone (empty: none). */
    @Override
    public List<ListedZone> listedZones() throws ConnectorException {
        List<ListedZone> zones = new ArrayList<>();
        for (JsonNode zone : send("GET", base + "/zones", null, "list zones")) {
            String account = zone.path("account").asString("");
            zones.add(new ListedZone(zone.path("name").asString(), account, account));
        }
        return zones;
    }

    /** The zone with every rrset ({@code GET .../zones/<zone>}); disabled records are left out, as a query would not see them. */
    @Override
    public List<RrSet> readZone(String zone) throws ConnectorException {
        List<RrSet> sets = new ArrayList<>();
        for (JsonNode rrset : send("GET", zoneUrl(zone), null, "read the zone " + zone).path("rrsets")) {
            String type = rrset.path("type").asString();
            if (List.of("RRSIG", "NSEC", "NSEC3", "NSEC3PARAM").contains(type)) {
                continue;
            }
            List<String> rdata = new ArrayList<>();
            for (JsonNode record : rrset.path("records")) {
                if (!record.path("disabled").asBoolean(false)) {
                    rdata.add(record.path("content").asString());
                }
            }
            if (!rdata.isEmpty()) {
                sets.add(new RrSet(rrset.path("name").asString().replaceAll("\\.$", ""), type, rrset.path("ttl").asLong(), rdata));
            }
        }
        return sets;
    }

    @Override
    public ZoneSigning signing(String zone) throws ConnectorException {
        List<SigningKey> keys = new ArrayList<>();
        for (JsonNode key : send("GET", zoneUrl(zone) + "/cryptokeys", null, "read the keys of " + zone)) {
            // An inactive key signs nothing: it is not part of the zone's signing until someone activates it.
            if (key.path("active").asBoolean(false)) {
                keys.add(ZoneKeys.key(zone, key.path("dnskey").asString()));
            }
        }
        return new ZoneSigning(zone, !keys.isEmpty(), keys, ZoneKeys.ds(zone, keys), cdsMode(zone));
    }

    /**
     * Creates one active CSK when the zone has no active key, and sets its denial of existence. The keys are read
     * first, so a repeated call, or one after a crash that lost the answer to the key's creation, finds the key and
     * creates none. Two calls for the same zone at the same moment could both find none: the engine runs one step
     * of a domain at a time. A zone already signed keeps its keys, whatever algorithm they use.
     */
    @Override
    public ZoneSigning sign(String zone, SigningRequest request) throws ConnectorException {
        String algorithm = switch (request.algorithm()) {
            case 13 -> "ECDSAP256SHA256";
            case 15 -> "ED25519";
            default -> throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": signing " + zone + " with algorithm "
                    + request.algorithm() + " is not offered; ask for 13 (ECDSA P-256 SHA-256) or 15 (Ed25519), RFC 8624");
        };
        if (signing(zone).keys().isEmpty()) {
            ObjectNode key = JSON.createObjectNode().put("keytype", "csk").put("active", true).put("algorithm", algorithm);
            // The answer carries the private key: it is read for its status only, never kept or shown.
            send("POST", zoneUrl(zone) + "/cryptokeys", key.toString(), "create the signing key of " + zone);
        }
        // NSEC3 with no extra iteration and no salt (RFC 9276); NSEC is a zone without NSEC3PARAM.
        String nsec3param = request.denial() == Denial.NSEC3 ? "1 0 0 -" : "";
        JsonNode settings = send("GET", zoneUrl(zone) + "?rrsets=false", null, "read the settings of " + zone);
        if (!settings.path("nsec3param").asString("").equals(nsec3param)) {
            send("PUT", zoneUrl(zone), JSON.createObjectNode().put("nsec3param", nsec3param).put("nsec3narrow", false).toString(),
                    "set the denial of existence of " + zone + " to " + request.denial());
        }
        // A zone loaded without the API may lack the order names and auth flags its NSEC or NSEC3 chain needs.
        send("PUT", zoneUrl(zone) + "/rectify", null, "rectify " + zone);
        publishChange(zone);
        return signing(zone);
    }

    /**
     * PowerDNS publishes CDS and CDNSKEY from zone metadata: {@code PUBLISH-CDS} lists the digest types ("2": SHA-256)
     * and {@code PUBLISH-CDNSKEY} is "1"; the value "0" of either makes it publish the RFC 8078 delete form instead
     * (CDS {@code 0 0 0 00}, CDNSKEY {@code 0 3 0 AA==}), as PowerDNS 4.7 does (checked against the lab's 4.7.3).
     */
    @Override
    public ZoneSigning publishCds(String zone, CdsMode mode) throws ConnectorException {
        if (mode != CdsMode.NONE && !signing(zone).signed()) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + zone + " is not signed, so it cannot publish CDS ("
                    + mode + "); sign it first");
        }
        switch (mode) {
            case PUBLISH -> {
                setMetadata(zone, "PUBLISH-CDS", "2");
                setMetadata(zone, "PUBLISH-CDNSKEY", "1");
            }
            case DELETE -> {
                setMetadata(zone, "PUBLISH-CDS", "0");
                setMetadata(zone, "PUBLISH-CDNSKEY", "0");
            }
            case NONE -> {
                send("DELETE", zoneUrl(zone) + "/metadata/PUBLISH-CDS", null, "stop the CDS of " + zone);
                send("DELETE", zoneUrl(zone) + "/metadata/PUBLISH-CDNSKEY", null, "stop the CDNSKEY of " + zone);
            }
        }
        publishChange(zone);
        return signing(zone);
    }

    @Override
    public ZoneSigning unsign(String zone) throws ConnectorException {
        if (cdsMode(zone) == CdsMode.PUBLISH) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + zone + " still publishes CDS for its keys, so its"
                    + " parent may still take or hold a DS for them; set CDS to NONE or DELETE, wait until the DS is gone from the parent"
                    + " and caches, then unsign");
        }
        send("DELETE", zoneUrl(zone) + "/metadata/PUBLISH-CDS", null, "stop the CDS of " + zone);
        send("DELETE", zoneUrl(zone) + "/metadata/PUBLISH-CDNSKEY", null, "stop the CDNSKEY of " + zone);
        JsonNode settings = send("GET", zoneUrl(zone) + "?rrsets=false", null, "read the settings of " + zone);
        if (!settings.path("nsec3param").asString("").isEmpty()) {
            send("PUT", zoneUrl(zone), JSON.createObjectNode().put("nsec3param", "").put("nsec3narrow", false).toString(), "remove the NSEC3PARAM of " + zone);
        }
        // Every key, active or not: an unsigned zone holds none.
        for (JsonNode key : send("GET", zoneUrl(zone) + "/cryptokeys", null, "read the keys of " + zone)) {
            JsonHttp.Response response = http.send("DELETE", zoneUrl(zone) + "/cryptokeys/" + key.path("id").asInt(), null,
                    "remove a key of " + zone);
            // 404: removed already (a retry after a lost answer)
            if (!response.ok() && response.status() != 404) {
                throw JsonHttp.failure(response.status(), id + ": remove key " + key.path("id").asInt() + " of " + zone + ": HTTP " + response.status());
            }
        }
        publishChange(zone);
        return signing(zone);
    }

    private CdsMode cdsMode(String zone) throws ConnectorException {
        String cds = "";
        for (JsonNode metadata : send("GET", zoneUrl(zone) + "/metadata", null, "read the metadata of " + zone)) {
            if (metadata.path("kind").asString().equals("PUBLISH-CDS") && !metadata.path("metadata").isEmpty()) {
                cds = metadata.path("metadata").get(0).asString("");
            }
        }
        return cds.isBlank() ? CdsMode.NONE : cds.trim().equals("0") ? CdsMode.DELETE : CdsMode.PUBLISH;
    }

    private void setMetadata(String zone, String kind, String value) throws ConnectorException {
        ObjectNode body = JSON.createObjectNode().put("kind", kind);
        body.putArray("metadata").add(value);
        send("PUT", zoneUrl(zone) + "/metadata/" + kind, body.toString(), "set " + kind + " of " + zone);
    }

    /**
     * Makes a change of keys, NSEC3 or CDS metadata visible from outside: the serial goes up (so secondaries transfer
     * it), and the caches are flushed, since PowerDNS answers from its packet and query caches for up to
     * {@code cache-ttl} seconds (20 by default) and the caller will check the change from outside.
     */
    private void publishChange(String zone) throws ConnectorException {
        bumpSerial(zone);
        send("PUT", base + "/cache/flush?domain=" + encode(zone + "."), null, "flush the cache of " + zone);
    }

    /**
     * A change of keys, NSEC3 settings or CDS metadata does not change the SOA serial, so a secondary that transfers the
     * zone from PowerDNS would never fetch it signed (or unsigned, or with its CDS), and the zone's servers would
     * disagree until the next record change: the DS must not go to the parent meanwhile, and a CDS-scanning registry
     * refuses servers that disagree. The serial goes up by one (RFC 1982 arithmetic), which makes PowerDNS NOTIFY its
     * secondaries.
     */
    private void bumpSerial(String zone) throws ConnectorException {
        JsonNode zoneData = send("GET", zoneUrl(zone), null, "read the SOA of " + zone);
        for (JsonNode rrset : zoneData.path("rrsets")) {
            if (rrset.path("type").asString().equals("SOA") && !rrset.path("records").isEmpty()) {
                String[] soa = rrset.path("records").get(0).path("content").asString().trim().split("\\s+");
                if (soa.length != 7) {
                    throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": the SOA of " + zone + " is not an SOA: "
                            + rrset.path("records").get(0).path("content").asString());
                }
                soa[2] = Long.toString((Long.parseLong(soa[2]) + 1) & 0xFFFFFFFFL);
                ObjectNode change = JSON.createObjectNode();
                ObjectNode set = change.putArray("rrsets").addObject();
                set.put("name", rrset.path("name").asString()).put("type", "SOA").put("ttl", rrset.path("ttl").asLong())
                        .put("changetype", "REPLACE");
                set.putArray("records").addObject().put("content", String.join(" ", soa)).put("disabled", false);
                send("PATCH", zoneUrl(zone), change.toString(), "raise the SOA serial of " + zone);
                return;
            }
        }
        throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + zone + " has no SOA at PowerDNS");
    }

    private String zoneUrl(String zone) {
        return base + "/zones/" + encode(zone + ".");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private JsonNode send(String method, String url, String body, String what) throws ConnectorException {
        JsonHttp.Response response = http.send(method, url, body, what);
        if (response.ok()) {
            return response.body();
        }
        String error = response.body().path("error").asString("");
        throw JsonHttp.failure(response.status(), id + ": " + what + ": HTTP " + response.status()
                + (error.isEmpty() ? "" : " " + error));
    }
}
