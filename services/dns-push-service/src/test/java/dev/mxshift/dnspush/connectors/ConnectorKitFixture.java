package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.conformance.ConnectorConformanceKit;
import dev.mxshift.testsupport.Closing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What every conformance-kit test of a connector here shares: the connector type's factory and the zone the kit writes
 * in; the connector under test and the one with credentials the provider refuses, which the subclass's
 * {@code @BeforeAll} sets; and the labs and servers it started, closed after the class's tests, the last started first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConnectorKitFixture extends ConnectorConformanceKit {

    private final ConnectorFactory factory;
    private final String zone;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    protected DnsConnector connector;
    protected DnsConnector wrong;

    protected ConnectorKitFixture(ConnectorFactory factory, String zone) {
        this.factory = factory;
        this.zone = zone;
    }

    /** Closes {@code resource} after the class's tests, before whatever was started ahead of it. */
    protected final <T extends AutoCloseable> T closedAfterAll(T resource) {
        started.push(resource);
        return resource;
    }

    @AfterAll
    void closeStarted() throws Exception {
        Closing.closeAll(started.toArray(AutoCloseable[]::new));
    }

    @Override
    protected ConnectorFactory factory() {
        return factory;
    }

    @Override
    protected String zone() {
        return zone;
    }

    @Override
    protected DnsConnector connector() {
        return connector;
    }

    @Override
    protected DnsConnector connectorWithWrongCredentials() {
        return wrong;
    }
}
