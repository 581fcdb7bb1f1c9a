package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.DnsConnector;

/**
 * A connector that ships with mxshift: the id its configuration gives it, which names it in every message and
 * failure it writes.
 */
abstract class BuiltInConnector implements DnsConnector {

    protected final String id;

    BuiltInConnector(String id) {
        this.id = id;
    }

    @Override
    public final String id() {
        return id;
    }
}
