package dev.mxshift.dnspush.connectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mxshift.connector.RrSet;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.utils.base16;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local server that answers as Route 53's REST API (2013-04-01) documents (an accepted stand-in: this machine
 * cannot reach AWS): requests must carry a Signature Version 4 {@code Authorization} header of the documented shape
 * for the configured key, scoped to {@code us-east-1/route53}, whose signature the SDK's own signer computes alike
 * from the request's signed headers with the configured secret (else 403 {@code MissingAuthenticationToken},
 * {@code InvalidClientTokenId} or {@code SignatureDoesNotMatch}, 400 {@code IncompleteSignature});
 * {@code ListHostedZones}, {@code ListHostedZonesByName}, {@code ListResourceRecordSets} (listing from the name and
 * type asked, in Route 53's order) and {@code ChangeResourceRecordSets}, whose body must be a
 * {@code ChangeResourceRecordSetsRequest} in the API's namespace and whose batch is all or nothing: a DELETE must
 * match the current values exactly and a CREATE must not find the set (400 {@code InvalidChangeBatch}, its problems in
 * one bracketed message, as Route 53 has answered since 2024);
 * {@code Throttling} every {@code throttleEvery}-th request when set. 127.0.0.1 only.
 *
 * <p>DNSSEC as the API reference documents it, with real keys: a KMS key registered with {@link #kmsKey} of spec
 * {@code ECC_NIST_P256} holds a real P-256 key pair (JCA), whose public key is the KSK's DNSKEY (flags 257, algorithm
 * 13); key tag and SHA-256 DS are computed from it with dnsjava. {@code CreateKeySigningKey} (201; the request's
 * fields checked: {@code CallerReference} 1 to 128 characters, a hosted zone, a {@code Name} of 3 to 128 letters,
 * digits and underscores ({@code InvalidKeySigningKeyName}), {@code Status} ACTIVE or INACTIVE, a KMS key known, in
 * us-east-1, {@code ECC_NIST_P256} and {@code SIGN_VERIFY} ({@code InvalidKMSArn}), name and KMS key unique in the zone
 * ({@code KeySigningKeyAlreadyExists}, 409), two KSKs at most ({@code TooManyKeySigningKeys})),
 * {@code Activate}/{@code DeactivateKeySigningKey} (only from INACTIVE, resp. ACTIVE: {@code InvalidKeySigningKeyStatus};
 * never the last active KSK of a signing zone: {@code KeySigningKeyInUse}), {@code DeleteKeySigningKey} (INACTIVE
 * only), {@code EnableHostedZoneDNSSEC} (an ACTIVE KSK needed: {@code KeySigningKeyWithActiveStatusNotFound}),
 * {@code DisableHostedZoneDNSSEC} ({@code DNSSECNotFound} where there is nothing), {@code GetDNSSEC}. Route 53 looks up
 * the parent's DS before it stops signing or deactivates a KSK and refuses with
 * {@code KeySigningKeyInParentDSRecord}; here the parent's DS is what {@link #parentDs} says. {@link #loseAnswers}
 * carries out a request and closes the connection without an answer, as a lost answer looks to a client.
 */
public final class Route53ApiServer implements AutoCloseable {

    /** The API's XML namespace, in every request body and answer. */
    static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** The documented form of the header: AWS4-HMAC-SHA256 Credential=key/date/region/service/aws4_request, ... */
    private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([a-z0-9-]+)/([a-z0-9]+)/aws4_request,"
            + " ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})");

    private final HttpServer server;
    private final String accessKeyId;
    private final AwsCredentialsIdentity credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final TreeMap<String, String> zoneIdsByName = new TreeMap<>();
    /** zone id -> (name + " " + type) -> set */
    private final Map<String, TreeMap<String, RrSet>> sets = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger recordSetLists = new AtomicInteger();
    private final AtomicInteger changeBatches = new AtomicInteger();
    private volatile int throttleEvery;
    /** KMS key ARN -> its key (the stand-in's KMS, registered by tests). */
    private final Map<String, KmsKey> kmsKeys = new HashMap<>();
    /** zone id -> its DNSSEC. */
    private final Map<String, ZoneDnssec> dnssec = new HashMap<>();
    /** zone id -> the DS rdata its parent serves. */
    private final Map<String, Set<String>> parentDs = new HashMap<>();
    /** action name -> answers still to lose. */
    private final Map<String, Integer> losing = new HashMap<>();
    private final Map<String, AtomicInteger> actions = new HashMap<>();
    private final Map<String, Runnable> hooks = new HashMap<>();
    private boolean dropping;
    private volatile boolean misstatedDs;

    private record KmsKey(String keySpec, String keyUsage, KeyPair pair) {
    }

    private static final class Ksk {
        final String name;
        final String kmsArn;
        final DNSKEYRecord dnskey;
        final Instant created = Instant.now();
        String status;
        Instant modified = created;

        Ksk(String name, String kmsArn, DNSKEYRecord dnskey, String status) {
            this.name = name;
            this.kmsArn = kmsArn;
            this.dnskey = dnskey;
            this.status = status;
        }

        String ds() {
            return new DSRecord(dnskey.getName(), DClass.IN, 3600, DNSSEC.Digest.SHA256, dnskey).rdataToString();
        }
    }

    private static final class ZoneDnssec {
        String serving = "NOT_SIGNING";
        final LinkedHashMap<String, Ksk> ksks = new LinkedHashMap<>();
    }

    private volatile int listPageSize = 100;
    private final AtomicInteger hostedZoneLists = new AtomicInteger();

    public Route53ApiServer(String accessKeyId, String secret, String... zones) throws IOException {
        this.accessKeyId = accessKeyId;
        this.credentials = AwsCredentialsIdentity.create(accessKeyId, secret);
        for (String zone : zones) {
            String zoneId = "Z" + UUID.randomUUID().toString().replace("-", "").substring(0, 13).toUpperCase();
            zoneIdsByName.put(zone + ".", zoneId);
            sets.put(zoneId, new TreeMap<>());
            // Route 53 creates a hosted zone with its SOA and four name servers' NS, which it lists as any other set.
            edit(zone, new RrSet(zone, "SOA", 900, List.of("ns-2048.awsdns-64.net. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400")));
            edit(zone, new RrSet(zone, "NS", 172800, List.of("ns-2048.awsdns-64.net.", "ns-2049.awsdns-65.co.uk.", "ns-512.awsdns-00.org.",
                    "ns-1024.awsdns-00.com.")));
            dnssec.put(zoneId, new ZoneDnssec());
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/2013-04-01/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** {@code ListResourceRecordSets} requests answered so far (a connector's reads). */
    public int recordSetLists() {
        return recordSetLists.get();
    }

    /** {@code ChangeResourceRecordSets} requests answered so far, accepted or refused (a connector's writes). */
    public int changeBatches() {
        return changeBatches.get();
    }

    /** From the next request on, every {@code n}-th is refused with {@code Throttling}, that next one first (0: none). */
    synchronized void throttleEvery(int n) {
        throttleEvery = n;
        requests.set(Math.max(0, n - 1));
    }

    /**
     * A customer managed KMS key the account holds: of spec {@code ECC_NIST_P256} it gets a real P-256 key pair, whose
     * private half never leaves this server (as it never leaves KMS).
     */
    public synchronized void kmsKey(String arn, String keySpec, String keyUsage) {
        KeyPair pair = null;
        if (keySpec.equals("ECC_NIST_P256")) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                pair = generator.generateKeyPair();
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("no P-256 key pair from the JCA", e);
            }
        }
        kmsKeys.put(arn, new KmsKey(keySpec, keyUsage, pair));
    }

    /** The DS records the zone's parent serves now (empty: none), which Route 53 looks up before it stops signing. */
    public synchronized void parentDs(String zone, List<String> ds) {
        parentDs.put(zoneIdsByName.get(zone + "."), new HashSet<>(ds.stream().map(Route53ApiServer::normalisedDs).toList()));
    }

    /** The next {@code count} answers to {@code action} (e.g. {@code CreateKeySigningKey}) are lost after the work is done. */
    public synchronized void loseAnswers(String action, int count) {
        losing.put(action, count);
    }

    /** Names a DS in {@code DSRecord} that the KSK's DNSKEY does not give (its digest's last digit changed), as a broken API would. */
    public void misstateDs(boolean misstate) {
        misstatedDs = misstate;
    }

    /** Runs {@code hook} just before the next request of {@code action} is handled: someone else acting in between. */
    public synchronized void beforeNext(String action, Runnable hook) {
        hooks.put(action, hook);
    }

    /** A key-signing key made behind the connector's back (the console, another tool), in the KMS key's key pair. */
    public synchronized void addKeySigningKey(String zone, String name, String kmsArn, String status) {
        String zoneId = zoneIdsByName.get(zone + ".");
        dnssec.get(zoneId).ksks.put(name, new Ksk(name, kmsArn, dnskey(zoneId, kmsArn), status));
    }

    private DNSKEYRecord dnskey(String zoneId, String kmsArn) {
        try {
            Name origin = Name.fromString(zoneIdsByName.entrySet().stream().filter(e -> e.getValue().equals(zoneId)).findFirst().orElseThrow().getKey());
            return new DNSKEYRecord(origin, DClass.IN, 3600, 257, DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256,
                    kmsKeys.get(kmsArn).pair().getPublic());
        } catch (IOException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException("could not make the DNSKEY of KMS key " + kmsArn, e);
        }
    }

    /** Requests of the action (e.g. {@code CreateKeySigningKey}) received so far, answered or refused. */
    public synchronized int requests(String action) {
        return actions.computeIfAbsent(action, a -> new AtomicInteger()).get();
    }

    /** The key-signing keys the zone has now, by name and status. */
    public synchronized Map<String, String> keySigningKeys(String zone) {
        Map<String, String> keys = new LinkedHashMap<>();
        dnssec.get(zoneIdsByName.get(zone + ".")).ksks.forEach((name, ksk) -> keys.put(name, ksk.status));
        return keys;
    }

    /** What the zone's {@code GetDNSSEC} says of its signing: SIGNING, NOT_SIGNING, ... */
    public synchronized String serveSignature(String zone) {
        return dnssec.get(zoneIdsByName.get(zone + ".")).serving;
    }

    public synchronized void edit(String zone, RrSet set) {
        sets.get(zoneIdsByName.get(zone + ".")).put(key(set.owner() + ".", set.type()), set);
    }

    private static String key(String name, String type) {
        // Route 53 lists by name with labels reversed, then type.
        List<String> labels = new ArrayList<>(List.of(name.toLowerCase().split("\\.")));
        java.util.Collections.reverse(labels);
        return String.join(".", labels) + " " + type;
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!signedCorrectly(exchange, body)) {
                return;
            }
            int n = requests.incrementAndGet();
            if (throttleEvery > 0 && n % throttleEvery == 0) {
                error(exchange, 400, "Throttling", "Rate exceeded");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String action = dnssecAction(exchange.getRequestMethod(), path);
            if (action != null) {
                actions.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
                Runnable hook = hooks.remove(action);
                if (hook != null) {
                    hook.run();
                }
                int lose = losing.getOrDefault(action, 0);
                dropping = lose > 0;
                losing.put(action, Math.max(0, lose - 1));
                try {
                    dnssec(exchange, action, path, body);
                } finally {
                    dropping = false;
                }
            } else if (path.equals("/2013-04-01/hostedzonesbyname")) {
                StringBuilder zones = new StringBuilder();
                zoneIdsByName.tailMap(query.getOrDefault("dnsname", "")).entrySet().stream().limit(Long.parseLong(query.getOrDefault("maxitems", "100")))
                        .forEach(e -> zones.append(hostedZone(e.getKey(), e.getValue())));
                send(exchange, 200, "<ListHostedZonesByNameResponse xmlns=\"" + NS + "\"><HostedZones>" + zones + "</HostedZones>"
                        + "<IsTruncated>false</IsTruncated><MaxItems>" + query.getOrDefault("maxitems", "100") + "</MaxItems></ListHostedZonesByNameResponse>");
            } else if (path.equals("/2013-04-01/hostedzone") && exchange.getRequestMethod().equals("GET")) {
                listHostedZones(exchange, query);
            } else if (path.matches("/2013-04-01/hostedzone/[A-Z0-9]+/rrset/?")) {
                String zoneId = path.split("/")[3];
                TreeMap<String, RrSet> zoneSets = sets.get(zoneId);
                if (zoneSets == null) {
                    error(exchange, 404, "NoSuchHostedZone", "No hosted zone found with ID: " + zoneId);
                } else if (exchange.getRequestMethod().equals("GET")) {
                    recordSetLists.incrementAndGet();
                    list(exchange, zoneSets, query);
                } else {
                    changeBatches.incrementAndGet();
                    change(exchange, zoneSets, body);
                }
            } else {
                error(exchange, 404, "NotFound", "no such resource");
            }
        }
    }

    /** The DNSSEC actions by the API reference's method and path. */
    private static final Map<String, String> DNSSEC_ACTIONS = Map.of(
            "POST /2013-04-01/keysigningkey", "CreateKeySigningKey",
            "POST /2013-04-01/keysigningkey/[^/]+/[^/]+/activate", "ActivateKeySigningKey",
            "POST /2013-04-01/keysigningkey/[^/]+/[^/]+/deactivate", "DeactivateKeySigningKey",
            "DELETE /2013-04-01/keysigningkey/[^/]+/[^/]+", "DeleteKeySigningKey",
            "POST /2013-04-01/hostedzone/[^/]+/enable-dnssec", "EnableHostedZoneDNSSEC",
            "POST /2013-04-01/hostedzone/[^/]+/disable-dnssec", "DisableHostedZoneDNSSEC",
            "GET /2013-04-01/hostedzone/[^/]+/dnssec", "GetDNSSEC");

    /** The DNSSEC action a request is; null for any other request. */
    private static String dnssecAction(String method, String path) {
        return DNSSEC_ACTIONS.entrySet().stream().filter(e -> (method + " " + path).matches(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private void dnssec(HttpExchange exchange, String action, String path, byte[] body) throws IOException {
        String[] parts = path.split("/");
        if (action.equals("CreateKeySigningKey")) {
            createKeySigningKey(exchange, body);
            return;
        }
        String zoneId = parts[3];
        ZoneDnssec zone = dnssec.get(zoneId);
        if (zone == null) {
            error(exchange, 404, "NoSuchHostedZone", "No hosted zone found with ID: " + zoneId);
            return;
        }
        switch (action) {
            case "GetDNSSEC" -> {
                // Each key is a <member>, as the API's model (and so every SDK) reads the list; the reference page's syntax
                // shows <KeySigningKey>, which the SDK would skip.
                StringBuilder keys = new StringBuilder();
                zone.ksks.values().forEach(k -> keys.append(kskXml(k, "member")));
                send(exchange, 200, "<GetDNSSECResponse xmlns=\"" + NS + "\"><KeySigningKeys>" + keys + "</KeySigningKeys><Status><ServeSignature>"
                        + zone.serving + "</ServeSignature></Status></GetDNSSECResponse>");
            }
            case "EnableHostedZoneDNSSEC" -> {
                if (zone.ksks.values().stream().noneMatch(k -> k.status.equals("ACTIVE"))) {
                    error(exchange, 400, "KeySigningKeyWithActiveStatusNotFound", "A key-signing key (KSK) with ACTIVE status wasn't found.");
                    return;
                }
                zone.serving = "SIGNING";
                changeInfo(exchange, "EnableHostedZoneDNSSECResponse", 200);
            }
            case "DisableHostedZoneDNSSEC" -> {
                if (zone.serving.equals("NOT_SIGNING") && zone.ksks.isEmpty()) {
                    error(exchange, 400, "DNSSECNotFound", "The hosted zone doesn't have any DNSSEC resources.");
                    return;
                }
                if (zone.ksks.values().stream().anyMatch(k -> k.status.equals("ACTIVE") && inParentDs(zoneId, k))) {
                    error(exchange, 400, "KeySigningKeyInParentDSRecord", "The key-signing key (KSK) is specified in a parent DS record.");
                    return;
                }
                zone.serving = "NOT_SIGNING";
                changeInfo(exchange, "DisableHostedZoneDNSSECResponse", 200);
            }
            default -> keySigningKey(exchange, action, zoneId, zone, java.net.URLDecoder.decode(parts[4], StandardCharsets.UTF_8));
        }
    }

    private void keySigningKey(HttpExchange exchange, String action, String zoneId, ZoneDnssec zone, String name) throws IOException {
        Ksk ksk = zone.ksks.get(name);
        if (ksk == null) {
            error(exchange, 404, "NoSuchKeySigningKey", "The specified key-signing key (KSK) doesn't exist.");
            return;
        }
        String invalidStatus = "The key-signing key (KSK) status isn't valid or another KSK has the status INTERNAL_FAILURE.";
        switch (action) {
            case "ActivateKeySigningKey" -> {
                if (!ksk.status.equals("INACTIVE")) {
                    error(exchange, 400, "InvalidKeySigningKeyStatus", invalidStatus);
                    return;
                }
                ksk.status = "ACTIVE";
                ksk.modified = Instant.now();
                changeInfo(exchange, "ActivateKeySigningKeyResponse", 200);
            }
            case "DeactivateKeySigningKey" -> {
                if (!ksk.status.equals("ACTIVE")) {
                    error(exchange, 400, "InvalidKeySigningKeyStatus", invalidStatus);
                } else if (inParentDs(zoneId, ksk)) {
                    error(exchange, 400, "KeySigningKeyInParentDSRecord", "The key-signing key (KSK) is specified in a parent DS record.");
                } else if (zone.serving.equals("SIGNING") && zone.ksks.values().stream().filter(k -> k.status.equals("ACTIVE")).count() == 1) {
                    error(exchange, 400, "KeySigningKeyInUse", "The key-signing key (KSK) that you specified can't be deactivated because it's the"
                            + " only KSK for a currently enabled DNSSEC. Disable DNSSEC signing, or add or enable another KSK.");
                } else {
                    ksk.status = "INACTIVE";
                    ksk.modified = Instant.now();
                    changeInfo(exchange, "DeactivateKeySigningKeyResponse", 200);
                }
            }
            default -> {
                if (!ksk.status.equals("INACTIVE")) {
                    error(exchange, 400, "InvalidKeySigningKeyStatus", invalidStatus);
                    return;
                }
                zone.ksks.remove(name);
                changeInfo(exchange, "DeleteKeySigningKeyResponse", 200);
            }
        }
    }

    private void createKeySigningKey(HttpExchange exchange, byte[] body) throws IOException {
        Element request = request(exchange, body, "CreateKeySigningKeyRequest");
        if (request == null) {
            return;
        }
        String reference = text(request, "CallerReference");
        String zoneId = text(request, "HostedZoneId").replaceFirst("^/hostedzone/", "");
        String name = text(request, "Name");
        String status = text(request, "Status");
        String arn = text(request, "KeyManagementServiceArn");
        ZoneDnssec zone = dnssec.get(zoneId);
        if (reference.isEmpty() || reference.length() > 128) {
            error(exchange, 400, "InvalidInput", "1 validation error detected: Value at 'callerReference' failed to satisfy constraint: Member"
                    + " must have length between 1 and 128");
        } else if (zone == null) {
            error(exchange, 404, "NoSuchHostedZone", "No hosted zone found with ID: " + zoneId);
        } else if (!name.matches("[A-Za-z0-9_]{3,128}")) {
            error(exchange, 400, "InvalidKeySigningKeyName", "The key-signing key (KSK) name that you specified isn't a valid name.");
        } else if (!status.equals("ACTIVE") && !status.equals("INACTIVE")) {
            error(exchange, 400, "InvalidInput", "1 validation error detected: Value '" + status + "' at 'status' failed to satisfy constraint:"
                    + " Member must be ACTIVE or INACTIVE");
        } else if (!usableForDnssec(arn)) {
            error(exchange, 400, "InvalidKMSArn", "The KeyManagementServiceArn that you specified isn't valid to use with DNSSEC signing.");
        } else if (zone.ksks.containsKey(name) || zone.ksks.values().stream().anyMatch(k -> k.kmsArn.equals(arn))) {
            error(exchange, 409, "KeySigningKeyAlreadyExists", "You've already created a key-signing key (KSK) with this name or with the"
                    + " same customer managed key ARN.");
        } else if (zone.ksks.size() >= 2) {
            error(exchange, 400, "TooManyKeySigningKeys", "You've reached the limit for the number of key-signing keys (KSKs). Remove at least"
                    + " one KSK, and then try again.");
        } else {
            Ksk ksk = new Ksk(name, arn, dnskey(zoneId, arn), status);
            zone.ksks.put(name, ksk);
            exchange.getResponseHeaders().set("Location", url() + "/2013-04-01/keysigningkey/" + zoneId + "/" + name);
            send(exchange, 201, "<CreateKeySigningKeyResponse xmlns=\"" + NS + "\">" + changeInfoXml() + kskXml(ksk, "KeySigningKey") + "</CreateKeySigningKeyResponse>");
        }
    }

    /** A customer managed KMS key that Route 53 can sign with: known, in us-east-1, ECC_NIST_P256, SIGN_VERIFY. */
    private boolean usableForDnssec(String arn) {
        KmsKey key = kmsKeys.get(arn);
        return key != null && arn.startsWith("arn:aws:kms:us-east-1:") && key.keySpec().equals("ECC_NIST_P256")
                && key.keyUsage().equals("SIGN_VERIFY") && key.pair() != null;
    }

    private boolean inParentDs(String zoneId, Ksk ksk) {
        return parentDs.getOrDefault(zoneId, Set.of()).contains(normalisedDs(ksk.ds()));
    }

    private static String normalisedDs(String ds) {
        return ds.trim().replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT);
    }

    private String kskXml(Ksk ksk, String element) {
        DSRecord ds = new DSRecord(ksk.dnskey.getName(), DClass.IN, 3600, DNSSEC.Digest.SHA256, ksk.dnskey);
        return "<" + element + "><Name>" + ksk.name + "</Name><KmsArn>" + ksk.kmsArn + "</KmsArn><Flag>" + ksk.dnskey.getFlags() + "</Flag>"
                + "<SigningAlgorithmMnemonic>ECDSAP256SHA256</SigningAlgorithmMnemonic><SigningAlgorithmType>13</SigningAlgorithmType>"
                + "<DigestAlgorithmMnemonic>SHA-256</DigestAlgorithmMnemonic><DigestAlgorithmType>2</DigestAlgorithmType>"
                + "<KeyTag>" + ksk.dnskey.getFootprint() + "</KeyTag><DigestValue>" + base16.toString(ds.getDigest()) + "</DigestValue>"
                + "<PublicKey>" + java.util.Base64.getEncoder().encodeToString(ksk.dnskey.getKey()) + "</PublicKey>"
                + "<DSRecord>" + (misstatedDs ? ReferenceWebhookServer.misstated(ksk.ds()) : ksk.ds()) + "</DSRecord><DNSKEYRecord>" + ksk.dnskey.rdataToString() + "</DNSKEYRecord>"
                + "<Status>" + ksk.status + "</Status><CreatedDate>" + ksk.created + "</CreatedDate><LastModifiedDate>" + ksk.modified
                + "</LastModifiedDate></" + element + ">";
    }

    private void changeInfo(HttpExchange exchange, String response, int status) throws IOException {
        send(exchange, status, "<" + response + " xmlns=\"" + NS + "\">" + changeInfoXml() + "</" + response + ">");
    }

    private static String changeInfoXml() {
        return "<ChangeInfo><Id>/change/C" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase()
                + "</Id><Status>PENDING</Status><SubmittedAt>" + Instant.now() + "</SubmittedAt></ChangeInfo>";
    }

    /** The request body's root element, when it is {@code root} in the API's namespace; else the documented refusal, and null. */
    private Element request(HttpExchange exchange, byte[] body, String root) throws IOException {
        Document request;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            request = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            error(exchange, 400, "InvalidInput", "Invalid XML ; " + e.getMessage());
            return null;
        }
        Element element = request.getDocumentElement();
        if (!root.equals(element.getLocalName()) || !NS.equals(element.getNamespaceURI())) {
            error(exchange, 400, "MalformedInput", element.getLocalName() + " in " + element.getNamespaceURI() + " is not valid, expected "
                    + root + " in " + NS);
            return null;
        }
        return element;
    }

    /** Checks the request's Signature Version 4 as Route 53 does, answering the documented error when it fails. */
    private boolean signedCorrectly(HttpExchange exchange, byte[] body) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String date = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        if (authorization == null) {
            error(exchange, 403, "MissingAuthenticationToken", "Missing Authentication Token");
            return false;
        }
        Matcher shape = AUTHORIZATION.matcher(authorization);
        List<String> signedHeaders = shape.matches() ? List.of(shape.group(5).split(";")) : List.of();
        if (!shape.matches() || date == null || !date.startsWith(shape.group(2)) || !shape.group(3).equals("us-east-1")
                || !shape.group(4).equals("route53") || !signedHeaders.contains("host") || !signedHeaders.contains("x-amz-date")) {
            error(exchange, 400, "IncompleteSignature", "The request signature does not conform to AWS standards (a credential scoped to"
                    + " <date>/us-east-1/route53/aws4_request, X-Amz-Date of that date, host and x-amz-date signed).");
            return false;
        }
        if (!shape.group(1).equals(accessKeyId)) {
            error(exchange, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
            return false;
        }
        // The signature of the same request, as the SDK's signer computes it with the secret this server knows.
        URI uri = URI.create("http://" + exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(exchange.getRequestMethod())).uri(uri);
        for (String name : signedHeaders) {
            List<String> values = exchange.getRequestHeaders().get(name);
            if (values != null && !name.equals("x-amz-date")) {
                request.putHeader(name, values);
            }
        }
        SignedRequest expected = signer.sign(r -> r.identity(credentials).request(request.build())
                .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "route53").putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(Instant.from(AMZ.parse(date)), ZoneOffset.UTC)));
        if (!authorization.equals(expected.request().firstMatchingHeader("Authorization").orElse(""))) {
            error(exchange, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
            return false;
        }
        return true;
    }

    /**
     * {@code ListHostedZones} as documented: at most {@code maxitems} zones (100 by default, or the smaller page size
     * set by {@link #listPageSize}) from the zone whose ID is {@code marker}; {@code IsTruncated} and {@code NextMarker}
     * (the ID of the next page's first zone) while more follow.
     */
    private void listHostedZones(HttpExchange exchange, Map<String, String> query) throws IOException {
        List<Map.Entry<String, String>> all = new ArrayList<>(zoneIdsByName.entrySet());
        int max = Math.min(Integer.parseInt(query.getOrDefault("maxitems", "100")), listPageSize);
        int from = 0;
        if (query.containsKey("marker")) {
            from = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).getValue().equals(query.get("marker"))) {
                    from = i;
                }
            }
            if (from < 0) {
                error(exchange, 400, "InvalidInput", "Invalid marker: " + query.get("marker"));
                return;
            }
        }
        hostedZoneLists.incrementAndGet();
        StringBuilder zones = new StringBuilder();
        all.subList(from, Math.min(all.size(), from + max)).forEach(e -> zones.append(hostedZone(e.getKey(), e.getValue())));
        boolean truncated = from + max < all.size();
        send(exchange, 200, "<ListHostedZonesResponse xmlns=\"" + NS + "\"><HostedZones>" + zones + "</HostedZones>"
                + (query.containsKey("marker") ? "<Marker>" + query.get("marker") + "</Marker>" : "")
                + "<IsTruncated>" + truncated + "</IsTruncated>" + (truncated ? "<NextMarker>" + all.get(from + max).getValue() + "</NextMarker>" : "")
                + "<MaxItems>" + max + "</MaxItems></ListHostedZonesResponse>");
    }

    /** Answers {@code ListHostedZones} with at most {@code size} zones a page, to make a listing take several pages. */
    public void listPageSize(int size) {
        listPageSize = size;
    }

    /** {@code ListHostedZones} pages answered so far. */
    public int hostedZoneLists() {
        return hostedZoneLists.get();
    }

    private static String hostedZone(String name, String zoneId) {
        return "<HostedZone><Id>/hostedzone/" + zoneId + "</Id><Name>" + name + "</Name><CallerReference>mxshift-test</CallerReference>"
                + "<Config><PrivateZone>false</PrivateZone></Config></HostedZone>";
    }

    /**
     * {@code ListResourceRecordSets} as documented: from {@code name} and {@code type} in Route 53's order, at most
     * {@code maxitems} sets (300 by default and at most, or the smaller page size set by {@link #recordSetPageSize});
     * while more follow, {@code IsTruncated} with the next set's {@code NextRecordName} and {@code NextRecordType}.
     */
    private void list(HttpExchange exchange, TreeMap<String, RrSet> zoneSets, Map<String, String> query) throws IOException {
        if (query.containsKey("type") && !query.containsKey("name")) {
            error(exchange, 400, "InvalidInput", "The input is not valid: a type needs a name to start from");
            return;
        }
        String from = key(query.getOrDefault("name", ""), query.getOrDefault("type", ""));
        int max = Math.min(Math.min(Integer.parseInt(query.getOrDefault("maxitems", "300")), 300), recordSetPageSize);
        List<RrSet> page = zoneSets.tailMap(from).values().stream().limit(max + 1L).toList();
        boolean truncated = page.size() > max;
        StringBuilder out = new StringBuilder();
        page.stream().limit(max).forEach(set -> out.append(setXml(set)));
        String next = truncated ? "<NextRecordName>" + page.get(max).owner() + ".</NextRecordName><NextRecordType>" + page.get(max).type()
                + "</NextRecordType>" : "";
        send(exchange, 200, "<ListResourceRecordSetsResponse xmlns=\"" + NS + "\"><ResourceRecordSets>" + out + "</ResourceRecordSets>"
                + "<IsTruncated>" + truncated + "</IsTruncated>" + next + "<MaxItems>" + max + "</MaxItems></ListResourceRecordSetsResponse>");
    }

    private volatile int recordSetPageSize = 300;

    /** Answers {@code ListResourceRecordSets} with at most {@code size} sets a page, to make a zone's listing take several pages. */
    public void recordSetPageSize(int size) {
        recordSetPageSize = size;
    }

    private void change(HttpExchange exchange, TreeMap<String, RrSet> zoneSets, byte[] body) throws IOException {
        Element request = request(exchange, body, "ChangeResourceRecordSetsRequest");
        if (request == null) {
            return;
        }
        Map<String, RrSet> after = new TreeMap<>(zoneSets);
        List<String> problems = new ArrayList<>();
        NodeList changes = request.getElementsByTagNameNS("*", "Change");
        for (int i = 0; i < changes.getLength(); i++) {
            Element change = (Element) changes.item(i);
            String action = text(change, "Action");
            String name = text(change, "Name");
            String type = text(change, "Type");
            List<String> values = new ArrayList<>();
            NodeList v = change.getElementsByTagNameNS("*", "Value");
            for (int j = 0; j < v.getLength(); j++) {
                values.add(v.item(j).getTextContent());
            }
            RrSet set = new RrSet(name.replaceAll("\\.$", ""), type, Long.parseLong(text(change, "TTL")), values);
            RrSet current = after.get(key(name, type));
            String described = "[name='" + name + "', type='" + type + "']";
            if (action.equals("DELETE")) {
                if (current == null) {
                    problems.add("Tried to delete resource record set " + described + " but it was not found");
                } else if (!current.equals(set)) {
                    problems.add("Tried to delete resource record set " + described + " but the values provided do not match the current values");
                } else {
                    after.remove(key(name, type));
                }
            } else if (action.equals("CREATE")) {
                if (current != null) {
                    problems.add("Tried to create resource record set " + described + " but it already exists");
                } else {
                    after.put(key(name, type), set);
                }
            } else {
                after.put(key(name, type), set);
            }
        }
        if (!problems.isEmpty()) {
            // Route 53's answer since 2024: the standard error, every problem of the batch in one bracketed message
            // (it used to be an <InvalidChangeBatch><Messages> document of its own).
            error(exchange, 400, "InvalidChangeBatch", "[" + String.join(", ", problems) + "]");
            return;
        }
        zoneSets.clear();
        zoneSets.putAll(after);
        send(exchange, 200, "<ChangeResourceRecordSetsResponse xmlns=\"" + NS + "\"><ChangeInfo><Id>/change/C"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase() + "</Id><Status>PENDING</Status><SubmittedAt>"
                + Instant.now() + "</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>");
    }

    private static String setXml(RrSet set) {
        StringBuilder records = new StringBuilder();
        set.rdata().forEach(r -> records.append("<ResourceRecord><Value>").append(escape(r)).append("</Value></ResourceRecord>"));
        return "<ResourceRecordSet><Name>" + set.owner() + ".</Name><Type>" + set.type() + "</Type><TTL>" + set.ttl() + "</TTL><ResourceRecords>"
                + records + "</ResourceRecords></ResourceRecordSet>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String text(Element element, String tag) {
        NodeList nodes = element.getElementsByTagNameNS("*", tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return query;
    }

    private void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        send(exchange, status, "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + escape(message)
                + "</Message></Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>");
    }

    private void send(HttpExchange exchange, int status, String xml) throws IOException {
        if (dropping) {
            // The work is done; closing the exchange before any answer closes the connection: the client hears nothing.
            return;
        }
        StandInAnswers.answer(exchange, status, "text/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
