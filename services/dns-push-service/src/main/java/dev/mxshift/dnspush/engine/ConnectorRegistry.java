package dev.mxshift.dnspush.engine;

import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.service.SecretReference;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The connector types on the class path, found with {@link ServiceLoader} (the built-in ones and any hoster's jar),
 * and the instances made from configuration: each wrapped in its own {@link ResilientConnector}, its secrets
 * resolved from their references ({@code env:NAME}, {@code file:/path}) where the connector uses them, and its
 * limits those its type's factory declares ({@link ConnectorFactory#limits()}).
 */
public final class ConnectorRegistry {

    private final Map<String, ConnectorFactory> factories = new TreeMap<>();

    public ConnectorRegistry() {
        this(ServiceLoader.load(ConnectorFactory.class));
    }

    public ConnectorRegistry(Iterable<ConnectorFactory> found) {
        for (ConnectorFactory factory : found) {
            if (factories.put(factory.type(), factory) != null) {
                throw new IllegalStateException("two connector factories claim the type '" + factory.type() + "'");
            }
        }
    }

    public java.util.Set<String> types() {
        return factories.keySet();
    }

    /** A connector instance from its configuration, rate-limited and retried as its type's factory declares. */
    public ResilientConnector create(String id, String type, Map<String, String> settings) throws ConnectorException {
        return create(id, type, settings, ResilientConnector.Registries.fresh());
    }

    public ResilientConnector create(String id, String type, Map<String, String> settings, ResilientConnector.Registries registries)
            throws ConnectorException {
        ConnectorFactory factory = factories.get(type);
        if (factory == null) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "connector " + id + " has the type '" + type
                    + "', which no connector on the class path provides; known: " + factories.keySet());
        }
        // max-concurrent and max-concurrent-writes are the engine's, not the connector's: calls and writes at the provider
        // at once (a provider that takes one write at a time, such as PowerDNS on SQLite, is best written one at a time;
        // its reads can still go alongside).
        Map<String, String> own = new java.util.LinkedHashMap<>(settings);
        String maxConcurrent = own.remove("max-concurrent");
        String maxConcurrentWrites = own.remove("max-concurrent-writes");
        // The type's own declaration, whatever the type: the engine knows no provider by name.
        ResilientConnector.Limits limits;
        try {
            limits = ResilientConnector.Limits.of(java.util.Objects.requireNonNull(factory.limits(), "none declared"));
        } catch (RuntimeException e) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "connector " + id + ": its type '" + type
                    + "' declares limits the engine cannot use (" + e.getMessage() + "); the connector's ConnectorFactory.limits() must be fixed");
        }
        int calls = maxConcurrent == null ? limits.maxConcurrent() : atLeastOne(id, "max-concurrent", maxConcurrent);
        int writes = maxConcurrentWrites == null ? Math.min(limits.maxConcurrentWrites(), calls)
                : atLeastOne(id, "max-concurrent-writes", maxConcurrentWrites);
        if (writes > calls) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "connector " + id + ": settings.max-concurrent-writes ("
                    + writes + ") cannot be more than the calls in flight, settings.max-concurrent (" + calls + ")");
        }
        limits = limits.withConcurrency(calls, writes);
        DnsConnector connector = factory.create(new ConnectorConfig(id, type, own, reference -> new SecretReference(reference).resolve()));
        return new ResilientConnector(connector, limits, registries);
    }

    private static int atLeastOne(String id, String setting, String value) throws ConnectorException {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConnectorException(ConnectorException.Kind.PERMANENT, "connector " + id + ": settings." + setting
                + " must be a whole number of at least 1, got '" + value + "'");
    }
}
