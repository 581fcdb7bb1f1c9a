package dev.mxshift.dnspush.engine;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;

import java.util.Optional;
import java.util.Set;

/**
 * A connector that reaches no provider, for tests of what wraps or registers connectors: it handles MX, reads nothing,
 * and takes every write without doing anything; it declares {@code dnssecManagement} as told, and no other capability.
 */
class InertConnector implements DnsConnector {

    private final String id;
    private final boolean dnssecManagement;

    InertConnector(String id, boolean dnssecManagement) {
        this.id = id;
        this.dnssecManagement = dnssecManagement;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(Set.of("MX"), dnssecManagement, false, false, false);
    }

    @Override
    public Optional<RrSet> read(String zone, String owner, String type) {
        return Optional.empty();
    }

    @Override
    public ApplyReceipt apply(RrSetChange change) {
        return new ApplyReceipt(id + ": written");
    }
}
