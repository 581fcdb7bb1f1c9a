package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.ProviderLimits;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Amazon Route 53 through its REST API (2013-04-01), signed with Signature Version 4: hosted zones by name
 * ({@code ListHostedZonesByName}), a record set by name and type ({@code ListResourceRecordSets}), and a change
 * as one atomic change batch: {@code DELETE} of exactly the expected set and {@code CREATE} of the target. Route 53
 * refuses a DELETE whose values are not the current ones and a CREATE of a set that exists
 * ({@code InvalidChangeBatch}), which makes the batch a compare-and-set done by Route 53 itself, over the whole set:
 * records and TTL. So the engine writes without reading first, and reads only when Route 53 refuses.
 *
 * <p>Settings: {@code access-key-id} and {@code secret-access-key} (secret references), {@code url} (default
 * {@code https://route53.amazonaws.com}). Route 53 allows 5 requests per second per account: what the factory
 * declares ({@link Factory#limits()}); {@code Throttling} and {@code PriorRequestNotComplete} are retried.
 */
public final class Route53Connector implements DnsConnector {

    public static final String TYPE = "route53";
    static final String NAMESPACE = "https://route53.amazonaws.com/doc/2013-04-01/";

    /** Finds this connector by its {@code type}. */
    public static final class Factory implements ConnectorFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public DnsConnector create(ConnectorConfig config) throws ConnectorException {
            return new Route53Connector(config.id(), URI.create(config.optional("url", "https://route53.amazonaws.com")),
                    new AwsSignatureV4(config.secret("access-key-id"), config.secret("secret-access-key"), "us-east-1", "route53"),
                    Duration.ofSeconds(Long.parseLong(config.optional("timeout-seconds", "15"))), Clock.systemUTC());
        }

        /** Route 53's published limit: 5 requests per second per account; 4 calls in flight. */
        @Override
        public ProviderLimits limits() {
            return new ProviderLimits(5, Duration.ofSeconds(1), 4, 4, 4, Duration.ofMillis(500));
        }
    }

    private final String id;
    private final String base;
    private final AwsSignatureV4 signer;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;
    private final Map<String, String> zoneIds = new ConcurrentHashMap<>();

    public Route53Connector(String id, URI url, AwsSignatureV4 signer, Duration timeout, Clock clock) {
        this.id = id;
        this.base = url.toString().replaceAll("/+$", "") + "/2013-04-01";
        this.signer = signer;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Capabilities capabilities() {
        // The change batch's DELETE must match the current set exactly, TTL included: the engine may write first.
        return new Capabilities(Set.of("MX", "TXT", "A", "AAAA", "CNAME", "NS"), false, true, true, true, true);
    }

    @Override
    public Optional<RrSet> read(String zone, String owner, String type) throws ConnectorException {
        Document reply = send("GET", base + "/hostedzone/" + zoneId(zone) + "/rrset?name=" + encode(owner + ".") + "&type=" + type + "&maxitems=1",
                null, "read " + owner + " " + type);
        NodeList sets = reply.getElementsByTagNameNS("*", "ResourceRecordSet");
        if (sets.getLength() == 0) {
            return Optional.empty();
        }
        Element set = (Element) sets.item(0);
        // The list starts at the name and type asked; the first set may be the next one when there is none.
        if (!text(set, "Name").equalsIgnoreCase(owner + ".") || !text(set, "Type").equals(type)) {
            return Optional.empty();
        }
        List<String> rdata = new ArrayList<>();
        NodeList values = set.getElementsByTagNameNS("*", "Value");
        for (int i = 0; i < values.getLength(); i++) {
            rdata.add(presentation(type, values.item(i).getTextContent()));
        }
        return Optional.of(new RrSet(owner, type, Long.parseLong(text(set, "TTL")), rdata));
    }

    @Override
    public ApplyReceipt apply(RrSetChange change) throws ConnectorException {
        StringBuilder changes = new StringBuilder();
        if (change.expectedBefore() != null) {
            changes.append(changeXml("DELETE", change.expectedBefore()));
        }
        if (change.target() != null) {
            changes.append(changeXml("CREATE", change.target()));
        }
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ChangeResourceRecordSetsRequest xmlns=\"" + NAMESPACE + "\">"
                + "<ChangeBatch><Comment>mxshift</Comment><Changes>" + changes + "</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>";
        Document reply = send("POST", base + "/hostedzone/" + zoneId(change.zone()) + "/rrset/", body, "write " + change.owner() + " " + change.type());
        return new ApplyReceipt("Route 53 change " + text(reply.getDocumentElement(), "Id") + " " + text(reply.getDocumentElement(), "Status"));
    }

    @Override
    public List<String> listZones() throws ConnectorException {
        List<String> zones = new ArrayList<>();
        Document reply = send("GET", base + "/hostedzone?maxitems=100", null, "list zones");
        NodeList names = reply.getElementsByTagNameNS("*", "Name");
        for (int i = 0; i < names.getLength(); i++) {
            zones.add(names.item(i).getTextContent().replaceAll("\\.$", ""));
        }
        return zones;
    }

    private String zoneId(String zone) throws ConnectorException {
        String known = zoneIds.get(zone);
        if (known != null) {
            return known;
        }
        Document reply = send("GET", base + "/hostedzonesbyname?dnsname=" + encode(zone + ".") + "&maxitems=1", null, "find zone " + zone);
        NodeList zones = reply.getElementsByTagNameNS("*", "HostedZone");
        if (zones.getLength() == 0 || !text((Element) zones.item(0), "Name").equalsIgnoreCase(zone + ".")) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": Route 53 has no hosted zone " + zone + " for these credentials");
        }
        String zoneId = text((Element) zones.item(0), "Id").replaceFirst("^/hostedzone/", "");
        zoneIds.put(zone, zoneId);
        return zoneId;
    }

    private static String changeXml(String action, RrSet set) {
        StringBuilder records = new StringBuilder();
        for (String rdata : set.rdata()) {
            records.append("<ResourceRecord><Value>").append(escape(rdata)).append("</Value></ResourceRecord>");
        }
        return "<Change><Action>" + action + "</Action><ResourceRecordSet><Name>" + set.owner() + ".</Name><Type>" + set.type()
                + "</Type><TTL>" + set.ttl() + "</TTL><ResourceRecords>" + records + "</ResourceRecords></ResourceRecordSet></Change>";
    }

    /** Route 53 writes names in data without always ending them in a dot; mxshift's form always does. */
    static String presentation(String type, String value) {
        return switch (type) {
            case "MX" -> {
                String[] parts = value.trim().split("\\s+");
                yield parts[0] + " " + (parts[1].endsWith(".") ? parts[1] : parts[1] + ".");
            }
            case "CNAME", "NS" -> value.endsWith(".") ? value : value + ".";
            default -> value;
        };
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String text(Element element, String tag) {
        NodeList nodes = element.getElementsByTagNameNS("*", tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private Document send(String method, String url, String body, String what) throws ConnectorException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(url);
        Map<String, String> headers = new LinkedHashMap<>();
        if (body != null) {
            headers.put("Content-Type", "application/xml");
        }
        headers.putAll(signer.sign(method, uri, headers, bytes, clock.instant()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach(request::header);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // A timeout or a dropped connection: the change batch may have been accepted.
            throw ConnectorException.outcomeUnknown(id + ": " + what + ": " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": " + what + ": interrupted", e);
        }
        Document document = parse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300 && document != null) {
            return document;
        }
        // Errors come as <ErrorResponse><Error><Code>...; an invalid change batch as <InvalidChangeBatch><Messages>...
        boolean invalidBatch = document != null && "InvalidChangeBatch".equals(document.getDocumentElement().getLocalName());
        String code = document == null ? "" : invalidBatch ? "InvalidChangeBatch" : text(document.getDocumentElement(), "Code");
        String message = document == null ? "" : text(document.getDocumentElement(), "Message");
        ConnectorException.Kind kind = switch (code) {
            case "Throttling", "PriorRequestNotComplete", "ServiceUnavailable" -> ConnectorException.Kind.RETRYABLE;
            case "InvalidChangeBatch" -> message.contains("not found") || message.contains("do not match") || message.contains("already exists")
                    ? ConnectorException.Kind.CONFLICT : ConnectorException.Kind.PERMANENT;
            case "SignatureDoesNotMatch", "InvalidClientTokenId", "AccessDenied", "MissingAuthenticationToken", "IncompleteSignature" ->
                    ConnectorException.Kind.AUTHENTICATION;
            case "NoSuchHostedZone" -> ConnectorException.Kind.PERMANENT;
            default -> status == 403 ? ConnectorException.Kind.AUTHENTICATION
                    : status >= 500 || status == 429 ? ConnectorException.Kind.RETRYABLE : ConnectorException.Kind.PERMANENT;
        };
        boolean unknown = status >= 500 && !code.equals("ServiceUnavailable") && status != 503;
        throw new ConnectorException(kind, id + ": " + what + ": HTTP " + status + (code.isEmpty() ? "" : " " + code + ": " + message), null, unknown);
    }

    private static Document parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            return null;
        }
    }
}
