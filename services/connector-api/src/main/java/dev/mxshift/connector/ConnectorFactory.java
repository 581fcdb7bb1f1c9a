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
}
