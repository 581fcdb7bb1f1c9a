package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The factory of a connector that ships with mxshift: its {@code type} and how one is made from its settings, given
 * once by the connector's {@code Factory}; and the settings several connectors take, read alike for all of them.
 */
abstract class BuiltInConnectorFactory implements ConnectorFactory {

    /** Makes a connector from its settings. */
    @FunctionalInterface
    interface Maker {
        DnsConnector make(ConnectorConfig config) throws ConnectorException;
    }

    private final String type;
    private final Maker maker;

    BuiltInConnectorFactory(String type, Maker maker) {
        this.type = type;
        this.maker = maker;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final DnsConnector create(ConnectorConfig config) throws ConnectorException {
        return maker.make(config);
    }

    /** {@code timeout-seconds}: how long a call to the provider may take; the connector's default where not set. */
    static Duration timeout(ConnectorConfig config, long defaultSeconds) {
        return Duration.ofSeconds(Long.parseLong(config.optional("timeout-seconds", Long.toString(defaultSeconds))));
    }

    /** {@code server}: the DNS server as {@code HOST:PORT}, or a host alone on port 53. */
    static InetSocketAddress server(ConnectorConfig config) throws ConnectorException {
        String server = config.required("server");
        int colon = server.lastIndexOf(':');
        return colon < 0 ? new InetSocketAddress(server, 53)
                : new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
    }
}
