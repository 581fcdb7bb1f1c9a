package dev.mxshift.connector;

import java.util.List;
import java.util.Optional;

/**
 * A DNS provider, as mxshift uses it: read a record set, apply a change given its expected-before state, and where
 * declared, list zones and manage a zone's DNSSEC (sign it, publish CDS, unsign it). Small on purpose: retries, rate limits, circuit breaking, the
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

    /**
     * What the provider says of the zone's DNSSEC: signed or not, its keys, the DS to publish, the CDS form it
     * publishes. Reads only. Implemented where {@link Capabilities#dnssecManagement()} is declared.
     */
    default ZoneSigning signing(String zone) throws ConnectorException {
        throw unsupported("read the DNSSEC state of " + zone);
    }

    /**
     * Makes the provider sign the zone, and returns its state. Idempotent: a zone that is already signed keeps its
     * keys and gets no second key; and a crash between the provider's creation of a key and the answer must not lead
     * to a second key on the next call (the provider is read before anything is created). Publishing the DS is not
     * the connector's business: the caller does it once every authoritative server serves the signed zone
     * (invariant 6).
     */
    default ZoneSigning sign(String zone, SigningRequest request) throws ConnectorException {
        throw unsupported("sign " + zone);
    }

    /**
     * Makes the signed zone publish CDS and CDNSKEY for its keys ({@link CdsMode#PUBLISH}), the RFC 8078 section 4
     * delete form ({@link CdsMode#DELETE}), or neither ({@link CdsMode#NONE}). Idempotent.
     */
    default ZoneSigning publishCds(String zone, CdsMode mode) throws ConnectorException {
        throw unsupported("publish CDS for " + zone);
    }

    /**
     * Stops signing the zone and removes its keys. The engine calls it only when invariant 6 allows: the DS is gone
     * from the parent and every cache that could hold it has expired. The connector itself refuses
     * ({@link ConnectorException.Kind#PERMANENT}) while the zone publishes CDS in {@link CdsMode#PUBLISH} mode: a
     * parent that scans it could be putting the DS back. Idempotent: an unsigned zone stays so.
     */
    default ZoneSigning unsign(String zone) throws ConnectorException {
        throw unsupported("unsign " + zone);
    }

    private ConnectorException unsupported(String what) {
        return new ConnectorException(ConnectorException.Kind.UNSUPPORTED, id() + " cannot manage DNSSEC (asked to " + what
                + "); its capabilities do not declare dnssecManagement");
    }

    @Override
    default void close() {
    }
}
