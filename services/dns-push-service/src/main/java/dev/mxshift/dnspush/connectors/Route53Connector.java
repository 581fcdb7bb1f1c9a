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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.Route53ClientBuilder;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Amazon Route 53 through the AWS SDK for Java v2 (its sync client, on the JDK's URL connection): hosted zones by
 * name ({@code ListHostedZonesByName}), a record set by name and type ({@code ListResourceRecordSets}), and a change
 * as one atomic change batch: {@code DELETE} of exactly the expected set and {@code CREATE} of the target. Route 53
 * refuses a DELETE whose values are not the current ones and a CREATE of a set that exists
 * ({@code InvalidChangeBatch}), which makes the batch a compare-and-set done by Route 53 itself, over the whole set:
 * records and TTL. So the engine writes without reading first, and reads only when Route 53 refuses.
 *
 * <p>The SDK signs (Signature Version 4) and speaks the API's XML; its own retries are off, because the engine's
 * Resilience4j retries every connector alike (and reads again after a write whose answer was lost, which the SDK's
 * retry would not). Settings: {@code access-key-id} and {@code secret-access-key} (secret references), {@code url}
 * (default: the SDK's endpoint for Route 53; a stand-in's address in tests). Route 53 allows 5 requests per second
 * per account: what the factory declares ({@link Factory#limits()}); {@code Throttling} and
 * {@code PriorRequestNotComplete} are retried.
 */
public final class Route53Connector implements DnsConnector {

    public static final String TYPE = "route53";

    /** Finds this connector by its {@code type}. */
    public static final class Factory implements ConnectorFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public DnsConnector create(ConnectorConfig config) throws ConnectorException {
            String url = config.optional("url", null);
            return new Route53Connector(config.id(), url == null ? null : URI.create(url),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(config.secret("access-key-id"), config.secret("secret-access-key"))),
                    Duration.ofSeconds(Long.parseLong(config.optional("timeout-seconds", "15"))));
        }

        /** Route 53's published limit: 5 requests per second per account; 4 calls in flight. */
        @Override
        public ProviderLimits limits() {
            return new ProviderLimits(5, Duration.ofSeconds(1), 4, 4, 4, Duration.ofMillis(500));
        }
    }

    private final String id;
    private final Route53Client route53;
    private final Map<String, String> zoneIds = new ConcurrentHashMap<>();

    /**
     * @param endpoint    where Route 53 answers, or null for AWS's own endpoint
     * @param credentials the access key and its secret, resolved from the connector's secret references
     * @param timeout     for connecting, for each read, and for a whole call
     */
    public Route53Connector(String id, URI endpoint, AwsCredentialsProvider credentials, Duration timeout) {
        this.id = id;
        // Route 53 is global and its API is signed for us-east-1, which the SDK's endpoint rules take to Route 53's one
        // endpoint (the global "region" would be signed as aws-global once the endpoint is overridden).
        Route53ClientBuilder builder = Route53Client.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(timeout));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        this.route53 = builder.build();
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
        String zoneId = zoneId(zone);
        List<ResourceRecordSet> sets = call("read " + owner + " " + type, () -> route53.listResourceRecordSets(r -> r.hostedZoneId(zoneId)
                .startRecordName(owner + ".").startRecordType(type).maxItems("1")).resourceRecordSets());
        // The list starts at the name and type asked; the first set may be the next one when there is none.
        if (sets.isEmpty() || !sets.get(0).name().equalsIgnoreCase(owner + ".") || !sets.get(0).typeAsString().equals(type)) {
            return Optional.empty();
        }
        ResourceRecordSet set = sets.get(0);
        return Optional.of(new RrSet(owner, type, set.ttl(), set.resourceRecords().stream().map(r -> presentation(type, r.value())).toList()));
    }

    @Override
    public ApplyReceipt apply(RrSetChange change) throws ConnectorException {
        List<Change> changes = new ArrayList<>();
        if (change.expectedBefore() != null) {
            changes.add(Change.builder().action(ChangeAction.DELETE).resourceRecordSet(recordSet(change.expectedBefore())).build());
        }
        if (change.target() != null) {
            changes.add(Change.builder().action(ChangeAction.CREATE).resourceRecordSet(recordSet(change.target())).build());
        }
        String zoneId = zoneId(change.zone());
        ChangeInfo info = call("write " + change.owner() + " " + change.type(), () -> route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId)
                .changeBatch(b -> b.comment("mxshift").changes(changes))).changeInfo());
        return new ApplyReceipt("Route 53 change " + info.id() + " " + info.statusAsString());
    }

    @Override
    public List<String> listZones() throws ConnectorException {
        return call("list zones", () -> route53.listHostedZonesPaginator().hostedZones().stream()
                .map(zone -> zone.name().replaceAll("\\.$", "")).toList());
    }

    @Override
    public void close() {
        route53.close();
    }

    private String zoneId(String zone) throws ConnectorException {
        String known = zoneIds.get(zone);
        if (known != null) {
            return known;
        }
        List<HostedZone> zones = call("find zone " + zone, () -> route53.listHostedZonesByName(r -> r.dnsName(zone + ".").maxItems("1")).hostedZones());
        if (zones.isEmpty() || !zones.get(0).name().equalsIgnoreCase(zone + ".")) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": Route 53 has no hosted zone " + zone + " for these credentials");
        }
        String zoneId = zones.get(0).id().replaceFirst("^/hostedzone/", "");
        zoneIds.put(zone, zoneId);
        return zoneId;
    }

    private static ResourceRecordSet recordSet(RrSet set) {
        return ResourceRecordSet.builder().name(set.owner() + ".").type(set.type()).ttl(set.ttl())
                .resourceRecords(set.rdata().stream().map(value -> ResourceRecord.builder().value(value).build()).toList()).build();
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

    /** One SDK call, its failures typed for the engine. */
    private <T> T call(String what, Supplier<T> call) throws ConnectorException {
        try {
            return call.get();
        } catch (InvalidChangeBatchException e) {
            // Route 53 refused the batch: a DELETE that does not match the current set, or a CREATE of one that exists,
            // is the compare failing; anything else in the batch is wrong as sent.
            String messages = e.hasMessages() && !e.messages().isEmpty() ? String.join("; ", e.messages()) : errorMessage(e);
            boolean compare = messages.contains("not found") || messages.contains("do not match") || messages.contains("already exists");
            throw new ConnectorException(compare ? ConnectorException.Kind.CONFLICT : ConnectorException.Kind.PERMANENT,
                    id + ": " + what + ": HTTP " + e.statusCode() + " InvalidChangeBatch: " + messages, e);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
            int status = e.statusCode();
            ConnectorException.Kind kind = switch (code) {
                case "Throttling", "ThrottlingException", "PriorRequestNotComplete", "ServiceUnavailable" -> ConnectorException.Kind.RETRYABLE;
                case "SignatureDoesNotMatch", "InvalidClientTokenId", "AccessDenied", "MissingAuthenticationToken", "IncompleteSignature" ->
                        ConnectorException.Kind.AUTHENTICATION;
                case "NoSuchHostedZone" -> ConnectorException.Kind.PERMANENT;
                default -> e.isThrottlingException() ? ConnectorException.Kind.RETRYABLE
                        : status == 403 ? ConnectorException.Kind.AUTHENTICATION
                        : status >= 500 || status == 429 ? ConnectorException.Kind.RETRYABLE : ConnectorException.Kind.PERMANENT;
            };
            // A 5xx other than "unavailable" (a gateway's 502 or 504) may come after Route 53 took the batch.
            boolean unknown = status >= 500 && status != 503 && !code.equals("ServiceUnavailable");
            throw new ConnectorException(kind, id + ": " + what + ": HTTP " + status + (code.isEmpty() ? "" : " " + code + ": " + errorMessage(e)), e, unknown);
        } catch (SdkClientException e) {
            // No answer: a timeout or a dropped connection. The change batch may have been accepted.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw ConnectorException.outcomeUnknown(id + ": " + what + ": " + cause.getClass().getSimpleName(), e);
        }
    }

    private static String errorMessage(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? "" : e.awsErrorDetails().errorMessage();
    }
}
