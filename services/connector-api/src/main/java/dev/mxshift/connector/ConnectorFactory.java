package dev.mxshift.connector;

/**
 * Makes connectors of one type from configuration. Implementations are found with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/dev.mxshift.connector.ConnectorFactory}), so a hoster's own
 * connector is a jar on the class path.
 */
public interface ConnectorFactory {

    /** The {@code type} a configuration names, e.g. {@code powerdns}, {@code rfc2136}. */
    String type();

    DnsConnector create(ConnectorConfig config) throws ConnectorException;

    /**
     * How hard the engine may call this type's provider: its published rate limit, calls and writes in flight, and
     * retries. The engine takes exactly these for every instance of the type (an instance's settings may lower or
     * raise the bounds in flight). Unless overridden, {@link ProviderLimits#selfHosted()}: a connector for a provider
     * that publishes a limit declares it here.
     */
    default ProviderLimits limits() {
        return ProviderLimits.selfHosted();
    }
}
