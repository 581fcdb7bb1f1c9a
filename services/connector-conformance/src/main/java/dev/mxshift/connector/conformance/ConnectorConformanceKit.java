package dev.mxshift.connector.conformance;

import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.Denial;
import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.ProviderLimits;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.ListedZone;
import dev.mxshift.connector.ZoneLister;
import dev.mxshift.connector.ZoneReader;
import dev.mxshift.connector.SigningKey;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneSigning;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * What every DNS connector must do for mxshift to rely on it: read what the provider serves (never a cache), create,
 * replace and delete a record set exactly (MX names, TXT quoting and case, TLSA where declared), treat a repeated
 * write as harmless, refuse a stale expectation where it declares native compare-and-set, and type its failures
 * (an unknown zone is permanent, wrong credentials are an authentication failure), and declare limits that make
 * sense (where {@link #factory()} is given). Where {@code dnssecManagement} is declared: sign an unsigned zone once
 * (a second call adds no key), name a DS that matches a key, have every authoritative server serve the DNSKEY and
 * the SOA with signatures that verify, publish CDS/CDNSKEY and the RFC 8078 delete form, refuse to unsign while CDS
 * is published, and unsign; a provider that publishes no CDS at all ({@link #publishesCds()} false) must refuse CDS as
 * unsupported instead.
 *
 * <p>Extend it in your connector's tests. The kit writes only below {@link #owner()} ({@code
 * _mxshift-conformance.<zone>} by default) and cleans up before each test. Tests for capabilities a connector
 * does not declare are reported as skipped, never as passed. The DNSSEC tests sign and unsign
 * {@link #unsignedZone()}, which must be unsigned before and is unsigned again after each of them.
 */
public abstract class ConnectorConformanceKit {

    /** The connector under test, configured for a provider that hosts {@link #zone()}. */
    protected abstract DnsConnector connector();

    /** The same connector with credentials the provider refuses (never called when {@link #hasCredentials()} is false). */
    protected abstract DnsConnector connectorWithWrongCredentials();

    /** False for connectors that authenticate to nothing (zone files on a local disk). */
    protected boolean hasCredentials() {
        return true;
    }

    /** A zone the kit may write in. */
    protected abstract String zone();

    /** Changes a record set behind the connector's back (another tool, a person), to prove reads are not cached. */
    protected abstract void editElsewhere(RrSet set) throws Exception;

    /**
     * The factory of the connector's type, whose declared {@link ConnectorFactory#limits()} the kit checks; null (the
     * default) skips that check.
     */
    protected ConnectorFactory factory() {
        return null;
    }

    /**
     * An unsigned zone the kit may sign and unsign, where {@code dnssecManagement} is declared; it must have no DS at
     * its parent, so that signing it and unsigning it never make it bogus (invariant 6).
     */
    protected String unsignedZone() {
        return null;
    }

    /**
     * Every authoritative server of {@link #unsignedZone()}, asked directly over TCP. Empty only for a provider whose
     * servers cannot be reached from the test (a SaaS API answered by a local stand-in): then the tests that are about
     * what the servers serve are skipped, and the others check the connector's word alone.
     */
    protected List<InetSocketAddress> authoritativeServers() {
        return List.of();
    }

    /**
     * False for a provider that publishes no CDS or CDNSKEY at all (Route 53): then {@code publishCds(PUBLISH)} and
     * {@code publishCds(DELETE)} must answer {@code UNSUPPORTED} and leave the zone as it was, {@code publishCds(NONE)}
     * must answer the zone's state, and the tests of the CDS a provider publishes are skipped (the rest of the DNSSEC
     * tests run). A zone at such a provider reaches its parent by the {@code manual} or {@code webhook} path.
     */
    protected boolean publishesCds() {
        return true;
    }

    /**
     * Whether a whole-zone read ({@code ZoneReader}) includes the zone's SOA. True for servers and for providers that
     * list it (PowerDNS, AXFR, zone files, Route 53); false where the provider writes the SOA itself and keeps it out of
     * its record listing (Cloudflare), so the kit does not ask for it.
     */
    protected boolean wholeZoneHasSoa() {
        return true;
    }

    /** How long the servers may take to serve what the connector changed (a signer's first pass, a transfer). */
    protected Duration servingDelay() {
        return Duration.ofSeconds(30);
    }

    protected String owner() {
        return "mxshift-conformance." + zone();
    }

    private RrSet mx(long ttl, String... rdata) {
        return new RrSet(owner(), "MX", ttl, List.of(rdata));
    }

    @BeforeEach
    void clean() throws ConnectorException {
        for (String type : List.of("MX", "TXT", "TLSA")) {
            if (type.equals("TLSA") && !connector().capabilities().recordTypes().contains("TLSA")) {
                continue;
            }
            Optional<RrSet> left = connector().read(zone(), owner(), type);
            if (left.isPresent()) {
                connector().apply(new RrSetChange(zone(), owner(), type, left.get(), null));
            }
        }
    }

    @Test
    void anAbsentSetReadsAsNothing() throws ConnectorException {
        assertThat(connector().read(zone(), owner(), "MX")).isEmpty();
    }

    @Test
    void aCreatedSetReadsBackExactly() throws ConnectorException {
        RrSet set = mx(300, "0 legacy.mail.protection.outlook.com.", "20 contoso-com.o-v1.mx.microsoft.");
        connector().apply(new RrSetChange(zone(), owner(), "MX", null, set));
        assertThat(connector().read(zone(), owner(), "MX")).hasValueSatisfying(read -> assertThat(read.sameAs(set)).as("%s", read).isTrue());
    }

    @Test
    void aReplacedSetReadsBackAsTheNewOneAndADeletedOneIsGone() throws ConnectorException {
        RrSet first = mx(3600, "0 legacy.mail.protection.outlook.com.");
        RrSet second = mx(300, "0 contoso-com.o-v1.mx.microsoft.");
        connector().apply(new RrSetChange(zone(), owner(), "MX", null, first));
        connector().apply(new RrSetChange(zone(), owner(), "MX", first, second));
        assertThat(connector().read(zone(), owner(), "MX")).hasValueSatisfying(read -> assertThat(read.sameAs(second)).as("%s", read).isTrue());
        connector().apply(new RrSetChange(zone(), owner(), "MX", second, null));
        assertThat(connector().read(zone(), owner(), "MX")).isEmpty();
    }

    @Test
    void txtKeepsItsQuotingAndCase() throws ConnectorException {
        RrSet sts = new RrSet(owner(), "TXT", 300, List.of("\"v=STSv1; id=AbC123xYz\""));
        connector().apply(new RrSetChange(zone(), owner(), "TXT", null, sts));
        assertThat(connector().read(zone(), owner(), "TXT")).hasValueSatisfying(read -> assertThat(read.rdata()).isEqualTo(sts.rdata()));
    }

    @Test
    void tlsaRoundTripsWhereDeclared() throws ConnectorException {
        assumeThat(connector().capabilities().recordTypes()).as("TLSA is declared").contains("TLSA");
        RrSet tlsa = new RrSet(owner(), "TLSA", 300, List.of("3 1 1 " + "AB".repeat(32)));
        connector().apply(new RrSetChange(zone(), owner(), "TLSA", null, tlsa));
        assertThat(connector().read(zone(), owner(), "TLSA")).hasValueSatisfying(read ->
                assertThat(read.rdata().get(0).replace(" ", "").toUpperCase()).isEqualTo("311" + "AB".repeat(32)));
    }

    @Test
    void writingWhatIsAlreadyThereChangesNothing() throws ConnectorException {
        RrSet set = mx(300, "0 contoso-com.o-v1.mx.microsoft.");
        connector().apply(new RrSetChange(zone(), owner(), "MX", null, set));
        connector().apply(new RrSetChange(zone(), owner(), "MX", set, set));
        assertThat(connector().read(zone(), owner(), "MX")).hasValueSatisfying(read -> assertThat(read.sameAs(set)).isTrue());
    }

    @Test
    void readsSeeAChangeMadeElsewhereAtOnce() throws Exception {
        RrSet mine = mx(300, "0 legacy.mail.protection.outlook.com.");
        RrSet theirs = mx(300, "0 legacy.mail.protection.outlook.com.", "10 backup.example.net.");
        connector().apply(new RrSetChange(zone(), owner(), "MX", null, mine));
        editElsewhere(theirs);
        assertThat(connector().read(zone(), owner(), "MX")).hasValueSatisfying(read -> assertThat(read.sameAs(theirs)).as("%s", read).isTrue());
    }

    @Test
    void aStaleExpectationIsRefusedWhereCompareAndSetIsNative() throws Exception {
        assumeThat(connector().capabilities().nativeCompareAndSet()).as("native compare-and-set is declared").isTrue();
        RrSet mine = mx(300, "0 legacy.mail.protection.outlook.com.");
        RrSet theirs = mx(300, "0 legacy.mail.protection.outlook.com.", "10 backup.example.net.");
        connector().apply(new RrSetChange(zone(), owner(), "MX", null, mine));
        editElsewhere(theirs);
        assertThatThrownBy(() -> connector().apply(new RrSetChange(zone(), owner(), "MX", mine, mx(300, "0 contoso-com.o-v1.mx.microsoft."))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.CONFLICT));
        assertThat(connector().read(zone(), owner(), "MX")).hasValueSatisfying(read -> assertThat(read.sameAs(theirs)).isTrue());
    }

    @Test
    void aStaleTtlIsRefusedWhereTheNativeCompareIsDeclaredToCoverIt() throws Exception {
        // The engine writes such a connector's changes without reading first: only the provider's refusal then
        // protects a TTL someone else edited (invariant 3), so the declaration must hold.
        assumeThat(connector().capabilities().nativeCompareCoversTtl()).as("a native compare covering the TTL is declared").isTrue();
        RrSet mine = mx(300, "0 legacy.mail.protection.outlook.com.");
        RrSet theirs = mx(3600, "0 legacy.mail.protection.outlook.com.");
        connector().apply(new RrSetChange(zone(), owner(), "MX", null, mine));
        editElsewhere(theirs);
        assertThatThrownBy(() -> connector().apply(new RrSetChange(zone(), owner(), "MX", mine, mx(300, "0 contoso-com.o-v1.mx.microsoft."))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.CONFLICT));
        assertThat(connector().read(zone(), owner(), "MX")).hasValueSatisfying(read -> assertThat(read.sameAs(theirs)).as("%s", read).isTrue());
    }

    @Test
    void aZoneTheProviderDoesNotHostIsAPermanentFailure() {
        String unknown = "not-hosted-" + Long.toHexString(System.nanoTime()) + ".invalid";
        assertThatThrownBy(() -> connector().apply(new RrSetChange(unknown, "x." + unknown, "MX", null,
                new RrSet("x." + unknown, "MX", 300, List.of("0 contoso-com.o-v1.mx.microsoft.")))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT));
    }

    @Test
    void wrongCredentialsAreAnAuthenticationFailureThatNamesNoSecret() {
        assumeThat(hasCredentials()).as("the connector authenticates").isTrue();
        assertThatThrownBy(() -> connectorWithWrongCredentials().apply(new RrSetChange(zone(), owner(), "MX", null,
                mx(300, "0 contoso-com.o-v1.mx.microsoft."))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.AUTHENTICATION));
    }

    @Test
    void theZoneIsListedWhereListingIsDeclared() throws ConnectorException {
        assumeThat(connector().capabilities().zoneListing()).as("zone listing is declared").isTrue();
        assertThat(connector().listZones()).contains(zone());
    }

    /**
     * The optional listing with accounts (issue 29, inventory-from): the zone is there, each zone once, names in the
     * SPI's form (lower case, no final dot), and the same zones as {@code listZones()}.
     */
    @Test
    void theZoneIsListedWithItsAccountWhereTheConnectorListsAccounts() throws ConnectorException {
        assumeThat(connector()).as("the connector lists zones with their accounts (ZoneLister)").isInstanceOf(ZoneLister.class);
        List<ListedZone> listed;
        try {
            listed = ((ZoneLister) connector()).listedZones();
        } catch (ConnectorException e) {
            // a wrapper (the engine's ResilientConnector) is a ZoneLister whatever it wraps, and says so this way
            assumeThat(e.kind()).as("the wrapped connector lists zones with accounts").isNotEqualTo(ConnectorException.Kind.UNSUPPORTED);
            throw e;
        }
        assertThat(listed).extracting(ListedZone::zone).contains(zone()).doesNotHaveDuplicates()
                .allSatisfy(z -> assertThat(z).doesNotEndWith(".").isLowerCase());
        assertThat(listed).extracting(ListedZone::zone).containsExactlyInAnyOrderElementsOf(connector().listZones());
    }

    /**
     * The optional whole-zone read (decision 0028): what was written is there, as {@code read} reads it, with the apex SOA
     * where the provider lists it ({@link #wholeZoneHasSoa()}).
     */
    @Test
    void aWholeZoneReadHoldsWhatWasWrittenWhereTheConnectorReadsZones() throws ConnectorException {
        assumeThat(connector()).as("the connector reads whole zones (ZoneReader)").isInstanceOf(ZoneReader.class);
        RrSet set = mx(300, "0 legacy.mail.protection.outlook.com.", "20 contoso-com.o-v1.mx.microsoft.");
        connector().apply(new RrSetChange(zone(), owner(), "MX", null, set));
        List<RrSet> zone;
        try {
            zone = ((ZoneReader) connector()).readZone(zone());
        } catch (ConnectorException e) {
            // a wrapper (the engine's ResilientConnector) is a ZoneReader whatever it wraps, and says so this way
            assumeThat(e.kind()).as("the wrapped connector reads whole zones").isNotEqualTo(ConnectorException.Kind.UNSUPPORTED);
            throw e;
        }
        assertThat(zone).as("%s", zone).anySatisfy(read -> assertThat(read.sameAs(set)).isTrue());
        if (wholeZoneHasSoa()) {
            assertThat(zone).anySatisfy(read -> assertThat(read.owner() + " " + read.type()).isEqualTo(zone() + " SOA"));
        }
        assertThat(zone).as("owners in the SPI's form").allSatisfy(read -> assertThat(read.owner()).doesNotEndWith(".").isLowerCase());
        assertThat(zone).as("one set per owner and type").extracting(s -> s.owner() + " " + s.type()).doesNotHaveDuplicates();
        assertThat(zone).as("the signer's records are the server's, not the zone's").extracting(RrSet::type)
                .doesNotContain("RRSIG", "NSEC", "NSEC3");
    }

    @Test
    void theDeclaredLimitsMakeSense() {
        assumeThat(factory()).as("the connector's factory is given (override factory())").isNotNull();
        ProviderLimits limits = factory().limits();
        assertThat(limits).as("%s declares its limits (ProviderLimits.selfHosted() unless it overrides limits())", factory().type()).isNotNull();
        // The engine waits at most ten minutes for a read's permit, so a longer period could starve reads.
        assertThat(limits.period()).as("the period of the rate limit").isLessThanOrEqualTo(Duration.ofMinutes(10));
        // More calls in flight than requests in a period is a bulkhead that never binds before the limiter.
        assertThat(limits.maxConcurrent()).as("calls in flight, at most the requests in one period and 256")
                .isLessThanOrEqualTo(Math.min(limits.requestsPerPeriod(), 256));
        assertThat(limits.attempts()).as("attempts of a retryable call: a failing provider is not hammered").isBetween(1, 10);
        if (limits.attempts() > 1) {
            assertThat(limits.firstBackoff()).as("the first backoff, when a call is retried")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(10)).isLessThanOrEqualTo(Duration.ofMinutes(1));
        }
    }

    // DNSSEC management: where declared, the connector's word is checked against what the zone's servers serve.

    @Test
    void dnssecManagementIsRefusedAsUnsupportedWhereNotDeclared() {
        assumeThat(connector().capabilities().dnssecManagement()).as("dnssecManagement is not declared").isFalse();
        assertThatThrownBy(() -> connector().signing(zone()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.UNSUPPORTED));
        assertThatThrownBy(() -> connector().sign(zone(), SigningRequest.defaults()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.UNSUPPORTED));
    }

    @Test
    void signingAnUnsignedZoneGivesItAKeyAndADsThatMatchesTheKey() throws Exception {
        String zone = unsignedZoneUnderTest();
        try {
            ZoneSigning signed = connector().sign(zone, SigningRequest.defaults());
            assertThat(signed.signed()).as("%s", signed).isTrue();
            ZoneSigning read = connector().signing(zone);
            assertThat(read.signed()).isTrue();
            assertThat(read.keys()).as("the keys of %s", zone).isNotEmpty().allSatisfy(key -> {
                assertThat(key.algorithm()).isEqualTo(13);
                assertThat(dnskey(zone, key).getFootprint()).as("the key tag of %s", key.dnskey()).isEqualTo(key.keyTag());
            });
            assertThat(normalisedDs(read.ds())).as("the DS of %s: SHA-256 of each SEP key, computed here from the DNSKEY", zone)
                    .isEqualTo(expectedDs(zone, read.keys())).isNotEmpty();
            // A provider may publish CDS as soon as it signs (Cloudflare), or once its key is established (BIND); never the delete form.
            assertThat(read.cds()).isNotEqualTo(CdsMode.DELETE);
        } finally {
            backToUnsigned(zone);
        }
    }

    @Test
    void signingASignedZoneAgainKeepsItsKeysAndAddsNone() throws Exception {
        String zone = unsignedZoneUnderTest();
        try {
            ZoneSigning first = connector().sign(zone, SigningRequest.defaults());
            ZoneSigning second = connector().sign(zone, SigningRequest.defaults());
            assertThat(tags(second)).as("the key tags after a second sign()").isEqualTo(tags(first)).isNotEmpty();
            assertThat(second.keys()).hasSameSizeAs(first.keys());
            assertThat(connector().signing(zone).ds()).isEqualTo(first.ds());
        } finally {
            backToUnsigned(zone);
        }
    }

    @Test
    void everyServerServesTheKeyAndTheSoaWithSignaturesThatVerify() throws Exception {
        String zone = unsignedZoneUnderTest();
        assumeThat(authoritativeServers()).as("the zone's servers are reachable (authoritativeServers())").isNotEmpty();
        try {
            ZoneSigning signed = connector().sign(zone, SigningRequest.defaults());
            Set<Integer> tags = tags(signed);
            for (InetSocketAddress server : authoritativeServers()) {
                await("signed DNSKEY and SOA of " + zone + " from " + server).atMost(servingDelay()).pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> {
                            RRset dnskeys = answer(server, zone, Type.DNSKEY);
                            assertThat(dnskeys).as("the DNSKEY set served by %s", server).isNotNull();
                            List<DNSKEYRecord> served = dnskeys.rrs().stream().map(DNSKEYRecord.class::cast).toList();
                            assertThat(served.stream().map(DNSKEYRecord::getFootprint).collect(Collectors.toSet()))
                                    .as("the key tags %s serves", server).containsAll(tags);
                            verifies(dnskeys, served, tags);
                            RRset soa = answer(server, zone, Type.SOA);
                            assertThat(soa).as("the SOA served by %s", server).isNotNull();
                            verifies(soa, served, tags);
                        });
            }
        } finally {
            backToUnsigned(zone);
        }
    }

    @Test
    void nsec3DenialHasNoExtraIterationsAndNoSalt() throws Exception {
        String zone = unsignedZoneUnderTest();
        assumeThat(authoritativeServers()).as("the zone's servers are reachable (authoritativeServers())").isNotEmpty();
        try {
            connector().sign(zone, new SigningRequest(13, Denial.NSEC3));
            for (InetSocketAddress server : authoritativeServers()) {
                await("NSEC3PARAM of " + zone + " from " + server).atMost(servingDelay()).pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> {
                            RRset param = answer(server, zone, Type.NSEC3PARAM);
                            assertThat(param).as("the NSEC3PARAM served by %s", server).isNotNull();
                            NSEC3PARAMRecord record = (NSEC3PARAMRecord) param.first();
                            assertThat(record.getIterations()).as("extra iterations (RFC 9276)").isZero();
                            assertThat(record.getSalt()).as("salt (RFC 9276)").satisfiesAnyOf(
                                    salt -> assertThat(salt).isNull(), salt -> assertThat(salt).isEmpty());
                        });
            }
        } finally {
            backToUnsigned(zone);
        }
    }

    @Test
    void publishedCdsAndCdnskeyMatchTheDsAndTheKeys() throws Exception {
        String zone = cdsZoneUnderTest();
        try {
            connector().sign(zone, SigningRequest.defaults());
            ZoneSigning publishing = connector().publishCds(zone, CdsMode.PUBLISH);
            // A provider may publish once its key is established (BIND's dnssec-policy: once the key is omnipresent).
            awaitCds(zone, CdsMode.PUBLISH);
            Set<String> ds = expectedDs(zone, publishing.keys());
            Set<String> sepKeys = sepKeys(zone, publishing.keys());
            for (InetSocketAddress server : authoritativeServers()) {
                await("CDS and CDNSKEY of " + zone + " from " + server).atMost(servingDelay()).pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> {
                            RRset cds = answer(server, zone, Type.CDS);
                            assertThat(cds).as("the CDS served by %s", server).isNotNull();
                            // A provider may publish more digest types than SHA-256; the SHA-256 ones must be the DS.
                            Set<String> servedDs = cds.rrs().stream().map(CDSRecord.class::cast).filter(r -> r.getDigestID() == DNSSEC.Digest.SHA256)
                                    .map(r -> r.rdataToString().toUpperCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
                            assertThat(servedDs).as("the SHA-256 CDS served by %s", server).isEqualTo(ds);
                            RRset cdnskey = answer(server, zone, Type.CDNSKEY);
                            assertThat(cdnskey).as("the CDNSKEY served by %s", server).isNotNull();
                            Set<String> servedKeys = cdnskey.rrs().stream().map(Record::rdataToString).collect(Collectors.toCollection(TreeSet::new));
                            assertThat(servedKeys).as("the CDNSKEY served by %s", server).isEqualTo(sepKeys);
                        });
            }
        } finally {
            backToUnsigned(zone);
        }
    }

    @Test
    void theDeleteFormIsServedWhenAsked() throws Exception {
        String zone = cdsZoneUnderTest();
        try {
            connector().sign(zone, SigningRequest.defaults());
            // As in a real zone's life: the delete form follows a published CDS (a DS at the parent) it withdraws.
            connector().publishCds(zone, CdsMode.PUBLISH);
            awaitCds(zone, CdsMode.PUBLISH);
            assertThat(connector().publishCds(zone, CdsMode.DELETE).cds()).isEqualTo(CdsMode.DELETE);
            for (InetSocketAddress server : authoritativeServers()) {
                await("the CDS delete form of " + zone + " from " + server).atMost(servingDelay()).pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> {
                            RRset cds = answer(server, zone, Type.CDS);
                            assertThat(cds).as("the CDS served by %s", server).isNotNull();
                            // RFC 8078 section 4: exactly CDS 0 0 0 00 and CDNSKEY 0 3 0 AA==
                            assertThat(cds.rrs()).singleElement().satisfies(r -> {
                                CDSRecord delete = (CDSRecord) r;
                                assertThat(List.of(delete.getFootprint(), delete.getAlgorithm(), delete.getDigestID())).containsOnly(0);
                                assertThat(delete.getDigest()).containsExactly(0);
                            });
                            RRset cdnskey = answer(server, zone, Type.CDNSKEY);
                            assertThat(cdnskey).as("the CDNSKEY served by %s", server).isNotNull();
                            assertThat(cdnskey.rrs()).singleElement().satisfies(r -> {
                                CDNSKEYRecord delete = (CDNSKEYRecord) r;
                                assertThat(List.of(delete.getFlags(), delete.getProtocol(), delete.getAlgorithm())).containsExactly(0, 3, 0);
                                assertThat(delete.getKey()).containsExactly(0);
                            });
                        });
            }
        } finally {
            backToUnsigned(zone);
        }
    }

    @Test
    void unsigningIsRefusedWhileCdsIsPublished() throws Exception {
        String zone = cdsZoneUnderTest();
        try {
            ZoneSigning signed = connector().sign(zone, SigningRequest.defaults());
            connector().publishCds(zone, CdsMode.PUBLISH);
            awaitCds(zone, CdsMode.PUBLISH);
            assertThatThrownBy(() -> connector().unsign(zone))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT);
                        assertThat(e.getMessage()).as("the refusal says why").containsIgnoringCase("CDS");
                    });
            ZoneSigning after = connector().signing(zone);
            assertThat(after.signed()).as("still signed after the refusal").isTrue();
            assertThat(tags(after)).isEqualTo(tags(signed));
        } finally {
            backToUnsigned(zone);
        }
    }

    @Test
    void withCdsStoppedAZoneIsUnsignedAndServesNoKey() throws Exception {
        String zone = unsignedZoneUnderTest();
        connector().sign(zone, SigningRequest.defaults());
        if (publishesCds()) {
            connector().publishCds(zone, CdsMode.PUBLISH);
        }
        try {
            assertThat(connector().publishCds(zone, CdsMode.NONE).cds()).isEqualTo(CdsMode.NONE);
        } catch (ConnectorException e) {
            // A provider that publishes CDS for every signed zone (Cloudflare) withdraws them only by the delete form.
            assertThat(publishesCds()).as("a provider that publishes no CDS has none to withdraw: %s", e.getMessage()).isTrue();
            assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(ConnectorException.Kind.UNSUPPORTED);
            assertThat(connector().publishCds(zone, CdsMode.DELETE).cds()).isEqualTo(CdsMode.DELETE);
        }
        ZoneSigning unsigned = connector().unsign(zone);
        assertThat(unsigned.signed()).isFalse();
        assertThat(unsigned.keys()).isEmpty();
        assertThat(unsigned.ds()).isEmpty();
        assertThat(connector().signing(zone).signed()).isFalse();
        assertThat(connector().unsign(zone).signed()).as("unsigning an unsigned zone is harmless").isFalse();
        for (InetSocketAddress server : authoritativeServers()) {
            await("no DNSKEY of " + zone + " from " + server).atMost(servingDelay()).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        assertThat(answer(server, zone, Type.DNSKEY)).as("the DNSKEY served by %s", server).isNull();
                        assertThat(answer(server, zone, Type.CDS)).as("the CDS served by %s", server).isNull();
                        RRset soa = answer(server, zone, Type.SOA);
                        assertThat(soa).as("the SOA served by %s", server).isNotNull();
                        assertThat(soa.sigs()).as("signatures of the SOA served by %s", server).isEmpty();
                    });
        }
    }

    @Test
    void aProviderThatPublishesNoCdsRefusesThemAsUnsupportedAndStaysAsItWas() throws Exception {
        assumeThat(publishesCds()).as("the provider publishes no CDS (publishesCds() is false)").isFalse();
        String zone = unsignedZoneUnderTest();
        try {
            ZoneSigning signed = connector().sign(zone, SigningRequest.defaults());
            assertThat(signed.cds()).isEqualTo(CdsMode.NONE);
            for (CdsMode mode : List.of(CdsMode.PUBLISH, CdsMode.DELETE)) {
                assertThatThrownBy(() -> connector().publishCds(zone, mode)).as("publishCds(%s)", mode)
                        .isInstanceOfSatisfying(ConnectorException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ConnectorException.Kind.UNSUPPORTED);
                            assertThat(e.getMessage()).as("the refusal says why").containsIgnoringCase("CDS");
                        });
            }
            ZoneSigning after = connector().publishCds(zone, CdsMode.NONE);
            assertThat(after.cds()).isEqualTo(CdsMode.NONE);
            assertThat(after.signed()).isTrue();
            assertThat(tags(after)).isEqualTo(tags(signed));
            assertThat(connector().signing(zone).ds()).isEqualTo(signed.ds());
        } finally {
            backToUnsigned(zone);
        }
    }

    /** The zone for a CDS test: as {@link #unsignedZoneUnderTest()}, and skipped for a provider that publishes no CDS. */
    private String cdsZoneUnderTest() throws ConnectorException {
        assumeThat(connector().capabilities().dnssecManagement()).as("dnssecManagement is declared").isTrue();
        assumeThat(publishesCds()).as("the provider publishes CDS (publishesCds())").isTrue();
        return unsignedZoneUnderTest();
    }

    /** The zone for a DNSSEC test, checked unsigned, or the test is skipped where DNSSEC management is not declared. */
    private String unsignedZoneUnderTest() throws ConnectorException {
        assumeThat(connector().capabilities().dnssecManagement()).as("dnssecManagement is declared").isTrue();
        String zone = unsignedZone();
        assertThat(zone).as("a connector declaring dnssecManagement names an unsigned zone (override unsignedZone())").isNotNull();
        ZoneSigning before = connector().signing(zone);
        assertThat(before.signed()).as("%s must be unsigned before a DNSSEC test: %s", zone, before).isFalse();
        return zone;
    }

    /**
     * Leaves the zone unsigned, or on its way there: CDS withdrawn (or, where the provider cannot withdraw what it
     * publishes, the delete form), then unsign.
     */
    private void backToUnsigned(String zone) throws ConnectorException {
        if (connector().signing(zone).cds() == CdsMode.PUBLISH) {
            try {
                connector().publishCds(zone, CdsMode.NONE);
            } catch (ConnectorException e) {
                if (e.kind() != ConnectorException.Kind.UNSUPPORTED) {
                    throw e;
                }
                connector().publishCds(zone, CdsMode.DELETE);
            }
        }
        connector().unsign(zone);
    }

    private void awaitCds(String zone, CdsMode mode) {
        await("the connector's CDS mode of " + zone + " to be " + mode).atMost(servingDelay()).pollInterval(Duration.ofSeconds(1))
                .until(() -> connector().signing(zone).cds() == mode);
    }

    private static Set<Integer> tags(ZoneSigning signing) {
        return signing.keys().stream().map(SigningKey::keyTag).collect(Collectors.toCollection(TreeSet::new));
    }

    private static DNSKEYRecord dnskey(String zone, SigningKey key) {
        try {
            return (DNSKEYRecord) Record.fromString(Name.fromString(zone, Name.root), Type.DNSKEY, DClass.IN, 3600, key.dnskey(), Name.root);
        } catch (java.io.IOException e) {
            throw new AssertionError("the connector's DNSKEY of " + zone + " does not parse: " + key.dnskey(), e);
        }
    }

    private static List<SigningKey> dsKeys(List<SigningKey> keys) {
        boolean anySep = keys.stream().anyMatch(SigningKey::sep);
        return keys.stream().filter(k -> !anySep || k.sep()).toList();
    }

    /** The SHA-256 DS of each key the parent should point at, computed here from the DNSKEY, upper-case hex. */
    private static Set<String> expectedDs(String zone, List<SigningKey> keys) {
        return dsKeys(keys).stream().map(k -> new DSRecord(dnskey(zone, k).getName(), DClass.IN, 3600, DNSSEC.Digest.SHA256, dnskey(zone, k))
                .rdataToString().toUpperCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> normalisedDs(List<String> ds) {
        return ds.stream().map(d -> d.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> sepKeys(String zone, List<SigningKey> keys) {
        return dsKeys(keys).stream().map(k -> dnskey(zone, k).rdataToString()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** At least one signature on {@code set} by one of the connector's keys verifies now, with the key the server serves. */
    private static void verifies(RRset set, List<DNSKEYRecord> served, Set<Integer> tags) {
        List<String> failures = new ArrayList<>();
        for (RRSIGRecord sig : set.sigs()) {
            if (!tags.contains(sig.getFootprint())) {
                continue;
            }
            for (DNSKEYRecord key : served) {
                if (key.getFootprint() == sig.getFootprint() && key.getAlgorithm() == sig.getAlgorithm()) {
                    try {
                        DNSSEC.verify(set, sig, key, Instant.now());
                        return;
                    } catch (org.xbill.DNS.DNSSEC.DNSSECException e) {
                        failures.add(sig.getFootprint() + ": " + e.getMessage());
                    }
                }
            }
        }
        throw new AssertionError("no signature by the keys " + tags + " verifies on " + set.getName() + " " + Type.string(set.getType())
                + " (signatures: " + set.sigs().size() + ", failures: " + failures + ")");
    }

    /** The answer's RRset of {@code type} at the apex, asked directly of {@code server} over TCP with DO set; null when none. */
    private static RRset answer(InetSocketAddress server, String zone, int type) throws Exception {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTCP(true);
        resolver.setTimeout(Duration.ofSeconds(5));
        resolver.setEDNS(0, 4096, ExtendedFlags.DO, List.of());
        Name name = Name.fromString(zone, Name.root);
        Message response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        assertThat(response.getRcode()).as("rcode of %s %s from %s", zone, Type.string(type), server).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(org.xbill.DNS.Flags.AA)).as("%s answers %s with authority", server, zone).isTrue();
        for (RRset set : response.getSectionRRsets(Section.ANSWER)) {
            if (set.getType() == type && set.getName().equals(name)) {
                return set;
            }
        }
        return null;
    }
}
