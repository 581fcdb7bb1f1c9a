package dev.mxshift.dnspush;

import dev.mxshift.connector.DnsConnector;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code mxshift.push.signalling-zones}: a bad entry stops the service at start, naming the entry, the field and what is wrong. */
class SignallingZonesConfigTest {

    @TempDir
    Path dir;

    private Map<String, DnsConnector> connectors() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "s3cret");
        ConnectorRegistry registry = new ConnectorRegistry();
        return Map.of("lab-powerdns", registry.create("lab-powerdns", "powerdns", Map.of("url", "http://127.0.0.1:9/api/v1", "api-key", "file:" + secret)),
                "cloudflare", registry.create("cloudflare", "cloudflare", Map.of("token", "file:" + secret)));
    }

    private static PushProperties zones(PushProperties.SignallingZone... zones) {
        return new PushProperties(List.of(), List.of(), List.of(zones));
    }

    @Test
    void aSignallingZoneAtAConnectorThatWritesCdsAndManagesDnssecIsTaken() throws Exception {
        assertThat(PushConfiguration.signallingZones(zones(new PushProperties.SignallingZone("Lab-DNS.net.", "lab-powerdns", null)), connectors())
                .configured()).isTrue();
        assertThat(PushConfiguration.signallingZones(zones(), connectors()).configured()).isFalse();
    }

    @Test
    void anUnknownConnectorOneThatCannotHoldSignalsABadZoneOrTtlAreRefusedByName() throws Exception {
        Map<String, DnsConnector> connectors = connectors();
        assertThatThrownBy(() -> PushConfiguration.signallingZones(zones(new PushProperties.SignallingZone("lab-dns.net", "lab-pdns", null)), connectors))
                .hasMessageContaining("mxshift.push.signalling-zones[0].connector: 'lab-pdns' is not one of the configured connectors");
        assertThatThrownBy(() -> PushConfiguration.signallingZones(zones(new PushProperties.SignallingZone("lab-dns.net", "cloudflare", null)), connectors))
                .hasMessageContaining("[0].connector: cloudflare cannot hold RFC 9615 signals: it must write CDS and CDNSKEY records");
        assertThatThrownBy(() -> PushConfiguration.signallingZones(zones(new PushProperties.SignallingZone("lab dns", "lab-powerdns", null)), connectors))
                .hasMessageContaining("[0].zone: 'lab dns' is not a zone name");
        assertThatThrownBy(() -> PushConfiguration.signallingZones(zones(new PushProperties.SignallingZone("lab-dns.net", "lab-powerdns", null),
                new PushProperties.SignallingZone("LAB-DNS.NET.", "lab-powerdns", null)), connectors))
                .hasMessageContaining("[1].zone: lab-dns.net is configured twice");
        assertThatThrownBy(() -> PushConfiguration.signallingZones(zones(new PushProperties.SignallingZone("lab-dns.net", "lab-powerdns", 0L)), connectors))
                .hasMessageContaining("[0].ttl: 0 is not between 1 and 86400 seconds");
    }
}
