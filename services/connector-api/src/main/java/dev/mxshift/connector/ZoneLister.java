package dev.mxshift.connector;

import java.util.List;

/**
 * An optional ability beside {@link DnsConnector#listZones()}: list the zones the provider hosts together with the
 * account each belongs to there, where the provider keeps one. {@code ./mxshift inventory-from} (issue 29) builds an
 * inventory from it: a zone's account can name its tenant. A connector that can list zones implements this interface
 * as well, and its {@code listZones()} gives the same zones; reads only.
 */
public interface ZoneLister {

    /**
     * Every zone the provider hosts for these credentials, in the provider's order, each once. A refusal of the
     * credentials is {@link ConnectorException.Kind#AUTHENTICATION}; an unreachable provider is
     * {@link ConnectorException.Kind#RETRYABLE}.
     */
    List<ListedZone> listedZones() throws ConnectorException;
}
