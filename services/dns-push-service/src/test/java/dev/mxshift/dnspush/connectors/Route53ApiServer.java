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
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import java.util.List;
import java.util.Map;
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

    public Route53ApiServer(String accessKeyId, String secret, String... zones) throws IOException {
        this.accessKeyId = accessKeyId;
        this.credentials = AwsCredentialsIdentity.create(accessKeyId, secret);
        for (String zone : zones) {
            String zoneId = "Z" + UUID.randomUUID().toString().replace("-", "").substring(0, 13).toUpperCase();
            zoneIdsByName.put(zone + ".", zoneId);
            sets.put(zoneId, new TreeMap<>());
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

    void throttleEvery(int n) {
        throttleEvery = n;
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
            if (path.equals("/2013-04-01/hostedzonesbyname")) {
                StringBuilder zones = new StringBuilder();
                zoneIdsByName.tailMap(query.getOrDefault("dnsname", "")).entrySet().stream().limit(Long.parseLong(query.getOrDefault("maxitems", "100")))
                        .forEach(e -> zones.append(hostedZone(e.getKey(), e.getValue())));
                send(exchange, 200, "<ListHostedZonesByNameResponse xmlns=\"" + NS + "\"><HostedZones>" + zones + "</HostedZones>"
                        + "<IsTruncated>false</IsTruncated><MaxItems>" + query.getOrDefault("maxitems", "100") + "</MaxItems></ListHostedZonesByNameResponse>");
            } else if (path.equals("/2013-04-01/hostedzone")) {
                StringBuilder zones = new StringBuilder();
                zoneIdsByName.forEach((name, zoneId) -> zones.append(hostedZone(name, zoneId)));
                send(exchange, 200, "<ListHostedZonesResponse xmlns=\"" + NS + "\"><HostedZones>" + zones + "</HostedZones>"
                        + "<IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesResponse>");
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

    private static String hostedZone(String name, String zoneId) {
        return "<HostedZone><Id>/hostedzone/" + zoneId + "</Id><Name>" + name + "</Name><CallerReference>mxshift-test</CallerReference>"
                + "<Config><PrivateZone>false</PrivateZone></Config></HostedZone>";
    }

    private void list(HttpExchange exchange, TreeMap<String, RrSet> zoneSets, Map<String, String> query) throws IOException {
        String from = key(query.getOrDefault("name", ""), query.getOrDefault("type", ""));
        StringBuilder out = new StringBuilder();
        zoneSets.tailMap(from).values().stream().limit(Long.parseLong(query.getOrDefault("maxitems", "100")))
                .forEach(set -> out.append(setXml(set)));
        send(exchange, 200, "<ListResourceRecordSetsResponse xmlns=\"" + NS + "\"><ResourceRecordSets>" + out + "</ResourceRecordSets>"
                + "<IsTruncated>false</IsTruncated><MaxItems>" + query.getOrDefault("maxitems", "100") + "</MaxItems></ListResourceRecordSetsResponse>");
    }

    private void change(HttpExchange exchange, TreeMap<String, RrSet> zoneSets, byte[] body) throws IOException {
        Document request;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            request = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            error(exchange, 400, "InvalidInput", "Invalid XML ; " + e.getMessage());
            return;
        }
        Element root = request.getDocumentElement();
        if (!"ChangeResourceRecordSetsRequest".equals(root.getLocalName()) || !NS.equals(root.getNamespaceURI())) {
            error(exchange, 400, "MalformedInput", root.getLocalName() + " in " + root.getNamespaceURI()
                    + " is not valid, expected ChangeResourceRecordSetsRequest in " + NS);
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

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        send(exchange, status, "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + escape(message)
                + "</Message></Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>");
    }

    private static void send(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
