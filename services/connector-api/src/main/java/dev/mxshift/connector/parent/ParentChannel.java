package dev.mxshift.connector.parent;

import dev.mxshift.connector.ConnectorException;

/**
 * How a zone's DS reaches its parent: a registry reached through a registrar, not the hoster's DNS provider, so a small
 * SPI of its own beside {@link dev.mxshift.connector.DnsConnector}. A channel only asks; whether the parent serves the
 * DS is checked from outside by the validation service, which trusts no channel's word. Both calls are idempotent: a
 * submission repeated after a crash asks for the same DS again.
 */
public interface ParentChannel extends AutoCloseable {

    /** The configured name of this channel, for logs and evidence. */
    String id();

    /** Ask the parent to publish exactly these DS records for the zone; returns what the channel did, for the event. */
    String submit(DsSubmission submission) throws ConnectorException;

    /** Ask the parent to remove every DS of the zone (before signing may stop: invariant 6). */
    String withdraw(String zone, String parent) throws ConnectorException;

    @Override
    default void close() {
    }
}
