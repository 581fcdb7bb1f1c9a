package dev.mxshift.connector;

import java.util.List;
import java.util.Optional;

/**
 * A DNS provider, as mxshift uses it: read a record set, apply a change given its expected-before state, and where
 * declared, list zones and enable DNSSEC. Small on purpose: retries, rate limits, circuit breaking, the
 * compare-and-set for providers without a native one, "already in place" and safety thresholds live once in the
 * engine around it, not in each connector.
 */
public interface DnsConnector extends AutoCloseable {

    /** The configured name of this instance, as inventories reference it ({@code connector} column). */
    String id();

    Capabilities capabilities();

    /** The record set at {@code owner}/{@code type}, or empty when there is none. */
    Optional<RrSet> read(String zone, String owner, String type) throws ConnectorException;

    /**
     * Writes the change. A connector with native compare-and-set throws {@link ConnectorException.Kind#CONFLICT}
     * when the provider refuses because the set is not {@code expectedBefore}.
     */
    ApplyReceipt apply(RrSetChange change) throws ConnectorException;

    default List<String> listZones() throws ConnectorException {
        throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, id() + " cannot list zones");
    }

    default DnssecActivation enableDnssec(String zone) throws ConnectorException {
        throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, id() + " cannot manage DNSSEC");
    }

    @Override
    default void close() {
    }
}
