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
 * resolved from their references ({@code env:NAME}, {@code file:/path}) where the connector uses them.
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

    /** A connector instance from its configuration, rate-limited and retried as its type's provider asks. */
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
        // max-concurrent is the engine's, not the connector's: calls at the provider at once (a provider that takes one
        // write at a time, such as PowerDNS on SQLite, is best called one at a time).
        Map<String, String> own = new java.util.LinkedHashMap<>(settings);
        String maxConcurrent = own.remove("max-concurrent");
        DnsConnector connector = factory.create(new ConnectorConfig(id, type, own, reference -> new SecretReference(reference).resolve()));
        ResilientConnector.Limits limits = switch (type) {
            case "cloudflare" -> ResilientConnector.Limits.cloudflare();
            case "route53" -> ResilientConnector.Limits.route53();
            default -> ResilientConnector.Limits.selfHosted();
        };
        if (maxConcurrent != null) {
            int max;
            try {
                max = Integer.parseInt(maxConcurrent.strip());
            } catch (NumberFormatException e) {
                max = 0;
            }
            if (max < 1) {
                throw new ConnectorException(ConnectorException.Kind.PERMANENT, "connector " + id + ": settings.max-concurrent must be a"
                        + " whole number of at least 1, got '" + maxConcurrent + "'");
            }
            limits = new ResilientConnector.Limits(limits.requestsPerPeriod(), limits.period(), limits.attempts(), limits.firstBackoff(),
                    max, limits.failureRatePercent(), limits.openFor());
        }
        return new ResilientConnector(connector, limits, registries);
    }
}
