package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.ListedZone;
import dev.mxshift.connector.ZoneLister;

import java.util.List;

/**
 * A connector that lists its zones with their accounts ({@link #listedZones()}); {@link #listZones()} gives the same
 * zones, in the same order, as the {@link ZoneLister} contract asks.
 */
interface ListingConnector extends DnsConnector, ZoneLister {

    @Override
    default List<String> listZones() throws ConnectorException {
        return listedZones().stream().map(ListedZone::zone).toList();
    }
}
