package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.Denial;
import dev.mxshift.connector.ListedZone;
import dev.mxshift.connector.ZoneReader;
import dev.mxshift.connector.ProviderLimits;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.SigningKey;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneSigning;
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
import software.amazon.awssdk.services.route53.model.GetDnssecResponse;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.KeySigningKey;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
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
import java.util.regex.Pattern;

/**
 * Amazon Route 53 through the AWS SDK for Java v2 (its sync client, on the JDK's URL connection): hosted zones by
 * name ({@code ListHostedZonesByName}), a record set by name and type ({@code ListResourceRecordSets}), and a change
 * as one atomic change batch: {@code DELETE} of exactly the expected set and {@code CREATE} of the target. Route 53
 * refuses a DELETE whose values are not the current ones and a CREATE of a set that exists
 * ({@code InvalidChangeBatch}), which makes the batch a compare-and-set done by Route 53 itself, over the whole set:
 * records and TTL. So the engine writes without reading first, and reads only when Route 53 refuses. A whole zone
 * is read for the zone sweep with the same listing, page after page ({@link #readZone}).
 *
 * <p>The SDK signs (Signature Version 4) and speaks the API's XML; its own retries are off, because the engine's
 * Resilience4j retries every connector alike (and reads again after a write whose answer was lost, which the SDK's
 * retry would not). Settings: {@code access-key-id} and {@code secret-access-key} (secret references), {@code url}
 * (default: the SDK's endpoint for Route 53; a stand-in's address in tests). Route 53 allows 5 requests per second
 * per account: what the factory declares ({@link Factory#limits()}); {@code Throttling} and
 * {@code PriorRequestNotComplete} are retried.
 *
 * <p>DNSSEC (see {@link #sign}): Route 53 signs a hosted zone with a key-signing key (KSK) whose private key stays in a
 * customer managed KMS key (us-east-1, key spec {@code ECC_NIST_P256}, usage {@code SIGN_VERIFY}), and a zone-signing
 * key of its own. Settings: {@code kms-key-arn} (that key's ARN; with it the connector declares DNSSEC management),
 * {@code dnssec-signing} ({@code true} to insist on it: without a {@code kms-key-arn} the connector is then not
 * created; {@code false} to declare none though a key is named), {@code ksk-name} (default {@code mxshift}). Route 53
 * publishes no CDS or CDNSKEY: a zone here reaches its parent by the {@code manual} or {@code webhook} path, never
 * {@code cds}.
 */
public final class Route53Connector extends BuiltInConnector implements ListingConnector, ZoneReader {

    public static final String TYPE = "route53";

    /** Finds this connector by its {@code type}. */
    public static final class Factory extends BuiltInConnectorFactory {
        public Factory() {
            super(TYPE, config -> new Route53Connector(config.id(), endpoint(config),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(config.secret("access-key-id"), config.secret("secret-access-key"))),
                    timeout(config, 15), signingKey(config)));
        }

        /** {@code url}: where Route 53 answers (a stand-in's address in tests), or null for the SDK's endpoint. */
        private static URI endpoint(ConnectorConfig config) {
            String url = config.optional("url", null);
            return url == null ? null : URI.create(url);
        }

        /** The KSK's configuration, or null where the connector is not to sign; a setting that cannot work fails here, at start. */
        static KskConfig signingKey(ConnectorConfig config) throws ConnectorException {
            String arn = config.optional("kms-key-arn", null);
            String asked = config.optional("dnssec-signing", null);
            if (asked != null && !asked.equals("true") && !asked.equals("false")) {
                throw new ConnectorException(ConnectorException.Kind.PERMANENT, "connector " + config.id() + " (route53): dnssec-signing is '"
                        + asked + "'; it is true or false");
            }
            if ("true".equals(asked) && arn == null) {
                throw new ConnectorException(ConnectorException.Kind.PERMANENT, "connector " + config.id() + " (route53) is to sign zones"
                        + " (dnssec-signing: true) but names no KMS key: set kms-key-arn to the ARN of a customer managed KMS key in us-east-1"
                        + " with key spec ECC_NIST_P256 and key usage SIGN_VERIFY, whose key policy lets Route 53's DNSSEC service use it"
                        + " (DescribeKey, GetPublicKey, Sign)");
            }
            if (arn == null || "false".equals(asked)) {
                return null;
            }
            try {
                return new KskConfig(arn, config.optional("ksk-name", "mxshift"));
            } catch (IllegalArgumentException e) {
                throw new ConnectorException(ConnectorException.Kind.PERMANENT, "connector " + config.id() + " (route53): " + e.getMessage());
            }
        }

        /** Route 53's published limit: 5 requests per second per account; 4 calls in flight. */
        @Override
        public ProviderLimits limits() {
            return new ProviderLimits(5, Duration.ofSeconds(1), 4, 4, 4, Duration.ofMillis(500));
        }
    }

    /**
     * The key-signing key this connector creates where a zone has none: the customer managed KMS key it names and its
     * name in the hosted zone.
     *
     * @param kmsKeyArn the KMS key's ARN ({@code arn:aws:kms:us-east-1:<account>:key/<id>}; Route 53 takes keys in
     *                  us-east-1 only)
     * @param name      the KSK's name: 3 to 128 letters, digits and underscores, unique in the hosted zone
     */
    public record KskConfig(String kmsKeyArn, String name) {

        private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:kms:([a-z0-9-]+):\\d{12}:key/[A-Za-z0-9-]+");
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{3,128}");

        public KskConfig {
            var arn = kmsKeyArn == null ? null : ARN.matcher(kmsKeyArn);
            if (arn == null || !arn.matches()) {
                throw new IllegalArgumentException("kms-key-arn '" + kmsKeyArn + "' is not the ARN of a KMS key (arn:aws:kms:us-east-1:<account>:key/<key id>)");
            }
            if (kmsKeyArn.startsWith("arn:aws:") && !arn.group(1).equals("us-east-1")) {
                throw new IllegalArgumentException("the KMS key " + kmsKeyArn + " is in " + arn.group(1) + "; Route 53 signs only with a KMS key"
                        + " in us-east-1 (US East, N. Virginia)");
            }
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("ksk-name '" + name + "' is not a key-signing key name Route 53 takes: 3 to 128 letters,"
                        + " digits and underscores");
            }
        }
    }

    /** Route 53 answers at most 300 record sets a page (its documented maximum of MaxItems). */
    static final int RECORD_SETS_PER_PAGE = 300;

    private final Route53Client route53;
    private final KskConfig ksk;
    private final Map<String, String> zoneIds = new ConcurrentHashMap<>();

    /** A connector that manages no DNSSEC (no KMS key named). */
    public Route53Connector(String id, URI endpoint, AwsCredentialsProvider credentials, Duration timeout) {
        this(id, endpoint, credentials, timeout, null);
    }

    /**
     * @param endpoint    where Route 53 answers, or null for AWS's own endpoint
     * @param credentials the access key and its secret, resolved from the connector's secret references
     * @param timeout     for connecting, for each read, and for a whole call
     * @param ksk         the key-signing key to sign zones with, or null where this connector signs nothing
     */
    public Route53Connector(String id, URI endpoint, AwsCredentialsProvider credentials, Duration timeout, KskConfig ksk) {
        super(id);
        this.ksk = ksk;
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
    public Capabilities capabilities() {
        // The change batch's DELETE must match the current set exactly, TTL included: the engine may write first.
        return new Capabilities(Set.of("MX", "TXT", "A", "AAAA", "CNAME", "NS"), ksk != null, true, true, true, true);
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

    /**
     * {@code ListResourceRecordSets} from the zone's first name, then, while {@code IsTruncated}, from the
     * {@code NextRecordName} and {@code NextRecordType} (and {@code NextRecordIdentifier}) it answers, as its
     * {@code StartRecordName}/{@code StartRecordType}. Route 53 lists its own SOA and NS too. Sets of one name and type
     * that Route 53 keeps apart (weighted, latency or failover routing, each with its {@code SetIdentifier}) are one set
     * here, their values joined: the sweep asks what a name can answer. Alias sets have no values (they name an AWS
     * resource, never a host outside AWS) and are left out. Route 53 writes {@code *} as {@code \052}.
     */
    @Override
    public List<RrSet> readZone(String zone) throws ConnectorException {
        String zoneId = zoneId(zone);
        Map<String, RrSet> sets = new java.util.LinkedHashMap<>();
        String name = null;
        String type = null;
        String identifier = null;
        for (int page = 1; ; page++) {
            String startName = name;
            String startType = type;
            String startIdentifier = identifier;
            ListResourceRecordSetsResponse response = call("read the records of " + zone + " (page " + page + ")",
                    () -> route53.listResourceRecordSets(r -> r.hostedZoneId(zoneId).startRecordName(startName).startRecordType(startType)
                            .startRecordIdentifier(startIdentifier).maxItems(Integer.toString(RECORD_SETS_PER_PAGE))));
            for (ResourceRecordSet set : response.resourceRecordSets()) {
                if (set.resourceRecords().isEmpty()) {
                    continue;
                }
                String owner = set.name().replace("\\052", "*").replaceAll("\\.$", "").toLowerCase(java.util.Locale.ROOT);
                List<String> values = set.resourceRecords().stream().map(r -> presentation(set.typeAsString(), r.value())).toList();
                sets.merge(owner + " " + set.typeAsString(), new RrSet(owner, set.typeAsString(), set.ttl() == null ? 0 : set.ttl(), values),
                        (a, b) -> new RrSet(owner, a.type(), Math.min(a.ttl(), b.ttl()),
                                java.util.stream.Stream.concat(a.rdata().stream(), b.rdata().stream()).distinct().toList()));
            }
            if (!Boolean.TRUE.equals(response.isTruncated())) {
                return new ArrayList<>(sets.values());
            }
            name = response.nextRecordName();
            type = response.nextRecordTypeAsString();
            identifier = response.nextRecordIdentifier();
        }
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

    /**
     * {@code ListHostedZones}, page by page (Marker, NextMarker). A hosted zone names no account of its own (the AWS
     * account is the credentials'), so no zone has one here; an inventory maps them by a mapping file.
     */
    @Override
    public List<ListedZone> listedZones() throws ConnectorException {
        return call("list zones", () -> route53.listHostedZonesPaginator().hostedZones().stream()
                .map(zone -> ListedZone.withoutAccount(zone.name())).toList());
    }

    /**
     * {@code GetDNSSEC}: the zone is signed while Route 53 serves signatures ({@code SIGNING}, and {@code DELETING} until
     * it has stopped); its keys are the active key-signing keys (Route 53's zone-signing key is its own, and a parent's DS
     * never points at it). The DS is computed here from each KSK's {@code DNSKEYRecord} and must be the {@code DSRecord}
     * Route 53 names, or the call fails rather than hand on either. Route 53 publishes no CDS: the mode is always NONE.
     */
    @Override
    public ZoneSigning signing(String zone) throws ConnectorException {
        requireSigningKey("read the DNSSEC state of " + zone);
        return signing(zone, dnssec(zone));
    }

    private ZoneSigning signing(String zone, GetDnssecResponse dnssec) throws ConnectorException {
        switch (serving(dnssec)) {
            case "NOT_SIGNING":
                return ZoneSigning.unsigned(zone);
            case "SIGNING", "DELETING":
                break;
            default:
                throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": Route 53 reports the DNSSEC signing of " + zone + " as "
                        + serving(dnssec) + (dnssec.status().statusMessage() == null ? "" : " (" + dnssec.status().statusMessage() + ")")
                        + "; repair it in Route 53 (the KMS key, its key policy), then retry");
        }
        List<SigningKey> keys = new ArrayList<>();
        for (KeySigningKey ksk : dnssec.keySigningKeys()) {
            if ("ACTIVE".equals(ksk.status())) {
                keys.add(checked(zone, ksk));
            }
        }
        return new ZoneSigning(zone, true, keys, ZoneKeys.ds(zone, keys), CdsMode.NONE);
    }

    /** The KSK as the SPI's key, once its key tag, algorithm and DS are those its DNSKEY gives. */
    private SigningKey checked(String zone, KeySigningKey ksk) throws ConnectorException {
        SigningKey key = ZoneKeys.key(zone, ksk.dnskeyRecord());
        String ds = ZoneKeys.ds(zone, List.of(key)).get(0);
        String theirs = ksk.dsRecord() == null ? "" : ksk.dsRecord().trim().replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT);
        if (ksk.keyTag() == null || ksk.keyTag() != key.keyTag() || ksk.signingAlgorithmType() == null
                || ksk.signingAlgorithmType() != key.algorithm() || !theirs.equals(ds)) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": Route 53 names the key tag " + ksk.keyTag() + ", algorithm "
                    + ksk.signingAlgorithmType() + " and DS " + ksk.dsRecord() + " for the key-signing key " + ksk.name() + " of " + zone
                    + ", but its DNSKEY gives " + key.keyTag() + ", " + key.algorithm() + " and " + ds + "; not publishing either");
        }
        return key;
    }

    /**
     * Route 53's way, each step only where the zone is not there yet, so a repeat (or one after a lost answer) makes no
     * second key: {@code GetDNSSEC}; where no KSK is active, the one of the configured name or KMS key is activated
     * ({@code ActivateKeySigningKey}) or, where there is none, created active ({@code CreateKeySigningKey} with the KMS
     * key; a {@code KeySigningKeyAlreadyExists} answer means an earlier request of ours took effect); then
     * {@code EnableHostedZoneDNSSEC} unless it signs already. A zone signed with someone else's active KSK keeps it.
     * Route 53 signs with ECDSA P-256 (the KMS key's spec) and NSEC only.
     */
    @Override
    public ZoneSigning sign(String zone, SigningRequest request) throws ConnectorException {
        requireSigningKey("sign " + zone);
        if (request.algorithm() != 13) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": Route 53 signs with ECDSA P-256 (algorithm 13, the key spec"
                    + " ECC_NIST_P256 of its KMS keys) only, not algorithm " + request.algorithm());
        }
        if (request.denial() != Denial.NSEC) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": Route 53 signs " + zone + " online and denies existence"
                    + " with NSEC only; it has no NSEC3: ask for NSEC");
        }
        String zoneId = zoneId(zone);
        GetDnssecResponse now = dnssec(zone);
        if (now.keySigningKeys().stream().noneMatch(k -> "ACTIVE".equals(k.status()))) {
            Optional<KeySigningKey> ours = now.keySigningKeys().stream()
                    .filter(k -> ksk.name().equals(k.name()) || ksk.kmsKeyArn().equals(k.kmsArn())).findFirst();
            if (ours.isEmpty()) {
                createKeySigningKey(zone, zoneId);
            } else if ("INACTIVE".equals(ours.get().status())) {
                String name = ours.get().name();
                call("activate the key-signing key " + name + " of " + zone, () -> route53.activateKeySigningKey(r -> r.hostedZoneId(zoneId).name(name)));
            } else {
                throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": the key-signing key " + ours.get().name() + " of " + zone
                        + " is " + ours.get().status() + " at Route 53" + (ours.get().statusMessage() == null ? "" : " (" + ours.get().statusMessage() + ")")
                        + "; repair it in Route 53, then retry");
            }
        }
        if (!"SIGNING".equals(serving(now))) {
            call("enable DNSSEC signing of " + zone, () -> route53.enableHostedZoneDNSSEC(r -> r.hostedZoneId(zoneId)));
        }
        return signing(zone);
    }

    private void createKeySigningKey(String zone, String zoneId) throws ConnectorException {
        // The same reference for the same key of the same zone, so a request sent again is recognisably the same one.
        String reference = ("mxshift-" + zoneId + "-" + ksk.name());
        String callerReference = reference.length() > 128 ? reference.substring(0, 128) : reference;
        try {
            call("create the key-signing key " + ksk.name() + " of " + zone, () -> route53.createKeySigningKey(r -> r.hostedZoneId(zoneId)
                    .name(ksk.name()).keyManagementServiceArn(ksk.kmsKeyArn()).status("ACTIVE").callerReference(callerReference)));
        } catch (ConnectorException e) {
            // An earlier request whose answer was lost created it: the key is there, and it is the one (never a second).
            if (!"KeySigningKeyAlreadyExists".equals(errorCode(e))) {
                throw e;
            }
        }
    }

    /**
     * Route 53 publishes no CDS or CDNSKEY: NONE is what a zone here always publishes, and PUBLISH and DELETE are
     * {@code UNSUPPORTED}, so the zone's DS reaches its parent by the {@code manual} or {@code webhook} path.
     */
    @Override
    public ZoneSigning publishCds(String zone, CdsMode mode) throws ConnectorException {
        requireSigningKey("publish CDS for " + zone);
        if (mode == CdsMode.NONE) {
            return signing(zone);
        }
        throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, id + ": Route 53 publishes no CDS or CDNSKEY (RFC 7344, RFC 8078),"
                + " so " + zone + " cannot " + (mode == CdsMode.PUBLISH ? "ask its parent for a DS" : "ask its parent to remove its DS")
                + " that way; make the DS path of its parent manual or webhook (mxshift.validation.signing.parents)");
    }

    /**
     * {@code DisableHostedZoneDNSSEC} where Route 53 signs, then {@code DeactivateKeySigningKey} and
     * {@code DeleteKeySigningKey} for each KSK. Route 53 itself refuses while the parent still serves a DS for a KSK
     * ({@code KeySigningKeyInParentDSRecord}): that refusal is permanent here, as every connector refuses to unsign a zone
     * that may still be chained. Each step only where needed, so a repeat after a crash finishes what was begun.
     */
    @Override
    public ZoneSigning unsign(String zone) throws ConnectorException {
        requireSigningKey("unsign " + zone);
        String zoneId = zoneId(zone);
        GetDnssecResponse now = dnssec(zone);
        String serving = serving(now);
        if (serving.equals("DELETING")) {
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": Route 53 is still stopping the signing of " + zone
                    + " (DELETING); try again later");
        }
        try {
            if (!serving.equals("NOT_SIGNING")) {
                call("disable DNSSEC signing of " + zone, () -> route53.disableHostedZoneDNSSEC(r -> r.hostedZoneId(zoneId)));
            }
            for (KeySigningKey key : now.keySigningKeys()) {
                if ("ACTIVE".equals(key.status())) {
                    call("deactivate the key-signing key " + key.name() + " of " + zone,
                            () -> route53.deactivateKeySigningKey(r -> r.hostedZoneId(zoneId).name(key.name())));
                }
                call("delete the key-signing key " + key.name() + " of " + zone,
                        () -> route53.deleteKeySigningKey(r -> r.hostedZoneId(zoneId).name(key.name())));
            }
        } catch (ConnectorException e) {
            if ("KeySigningKeyInParentDSRecord".equals(errorCode(e))) {
                throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": Route 53 refuses to stop signing " + zone + ": its parent"
                        + " still serves a DS for its key-signing key (KeySigningKeyInParentDSRecord); remove the DS at the registrar, wait until"
                        + " it is gone from the parent and from caches, then unsign", e);
            }
            throw e;
        }
        return signing(zone);
    }

    private GetDnssecResponse dnssec(String zone) throws ConnectorException {
        String zoneId = zoneId(zone);
        return call("read the DNSSEC of " + zone, () -> route53.getDNSSEC(r -> r.hostedZoneId(zoneId)));
    }

    private static String serving(GetDnssecResponse dnssec) {
        return dnssec.status() == null || dnssec.status().serveSignature() == null ? "NOT_SIGNING" : dnssec.status().serveSignature();
    }

    private void requireSigningKey(String what) throws ConnectorException {
        if (ksk == null) {
            throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, id + " manages no DNSSEC (asked to " + what + "): Route 53 signs"
                    + " with a key-signing key in a customer managed KMS key, and no kms-key-arn is configured for this connector");
        }
    }

    /** Route 53's error code behind a failure, or empty. */
    private static String errorCode(ConnectorException e) {
        return e.getCause() instanceof AwsServiceException aws && aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null
                ? aws.awsErrorDetails().errorCode() : "";
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
                case "Throttling", "ThrottlingException", "PriorRequestNotComplete", "ServiceUnavailable", "ConcurrentModification" ->
                        ConnectorException.Kind.RETRYABLE;
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
