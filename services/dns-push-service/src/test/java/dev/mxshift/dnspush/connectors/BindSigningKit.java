package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorFactory;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The kit for a connector whose zones the lab's BIND signs by named's own dnssec-policy (the bind connector, and the
 * webhook in front of it). Each DNSSEC test of the kit gets a zone of its own, added with {@code rndc addzone}, every
 * TTL of it the largest the lab's BIND signs with (its policies' max-zone-ttl); the server asked is that BIND. The
 * subclass's {@code @BeforeAll} calls {@link #signingAt}.
 */
abstract class BindSigningKit extends ConnectorKitFixture {

    private InetSocketAddress address;
    private LabBindZones zones;

    protected BindSigningKit(ConnectorFactory factory, String zone) {
        super(factory, zone);
    }

    /** The lab's BIND ({@code bind} of its endpoints), whose new zones are kitN.{@code suffix}, updated with the TSIG key {@code tsigName}. */
    protected final void signingAt(JsonNode bind, String tsigName, String suffix) {
        address = ConnectorLab.address(bind);
        zones = new LabBindZones(Path.of(bind.path("rndcConf").asString()), tsigName, suffix, bind.path("signableZoneTtl").asLong());
    }

    /** A new unsigned zone, added to the running named with rndc addzone (TTLs within the lab policy's max-zone-ttl). */
    @Override
    protected String unsignedZone() {
        return zones.add();
    }

    @Override
    protected List<InetSocketAddress> authoritativeServers() {
        return List.of(address);
    }

    /**
     * named publishes CDS once its key is omnipresent: seconds with the lab policy's compressed timings (BindServer);
     * three minutes is a bound, not a wait.
     */
    @Override
    protected Duration servingDelay() {
        return Duration.ofMinutes(3);
    }
}
