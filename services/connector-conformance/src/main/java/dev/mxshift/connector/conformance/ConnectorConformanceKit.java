package dev.mxshift.connector.conformance;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.ProviderLimits;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What every DNS connector must do for mxshift to rely on it: read what the provider serves (never a cache), create,
 * replace and delete a record set exactly (MX names, TXT quoting and case, TLSA where declared), treat a repeated
 * write as harmless, refuse a stale expectation where it declares native compare-and-set, and type its failures
 * (an unknown zone is permanent, wrong credentials are an authentication failure), and declare limits that make
 * sense (where {@link #factory()} is given).
 *
 * <p>Extend it in your connector's tests. The kit writes only below {@link #owner()} ({@code
 * _mxshift-conformance.<zone>} by default) and cleans up before each test. Tests for capabilities a connector
 * does not declare are reported as skipped, never as passed.
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
}
