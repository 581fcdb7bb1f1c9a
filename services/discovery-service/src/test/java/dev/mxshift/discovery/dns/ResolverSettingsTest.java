package dev.mxshift.discovery.dns;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResolverSettingsTest {

    @Test
    void parsesAddressesWithAndWithoutPort() {
        assertThat(ResolverSettings.parseAddress("127.0.10.53:5353")).isEqualTo(new InetSocketAddress("127.0.10.53", 5353));
        assertThat(ResolverSettings.parseAddress("10.0.0.53")).isEqualTo(new InetSocketAddress("10.0.0.53", 53));
        assertThat(ResolverSettings.parseAddress("[::1]:5300")).isEqualTo(new InetSocketAddress("::1", 5300));
    }

    @Test
    void refusesNamesAndBadPortsWithAMessageThatSaysWhy() {
        assertThatThrownBy(() -> ResolverSettings.parseAddress("resolver.example:53")).hasMessageContaining("IP address, not a name");
        assertThatThrownBy(() -> ResolverSettings.parseAddress("10.0.0.1:99999")).hasMessageContaining("1 to 65535");
    }

    @Test
    void parsesAnAuthoritativeServerWithItsZones() {
        ResolverSettings.AuthoritativeServer server = ResolverSettings.parseServer("127.0.0.1:5301=Example.com,bücher.de.");
        assertThat(server.zones()).containsExactly(Name.fromConstantString("example.com."), Name.fromConstantString("xn--bcher-kva.de."));
        assertThat(ResolverSettings.parseServer("127.0.10.1:5300").zones()).isEmpty();
    }

    @Test
    void zoneServersOffPort53AreGivenAsAddressEqualsPortAndTheRestAreAskedOn53() throws Exception {
        ResolverSettings settings = ResolverSettings.recursive(List.of(new InetSocketAddress("127.0.10.53", 5353)))
                .withAuthoritativePorts(ResolverSettings.parsePorts(List.of("127.0.10.1=5300", " ", "127.0.0.1=5301")));
        assertThat(settings.asksZoneServers()).isTrue();
        assertThat(settings.zoneServer(InetAddress.getLoopbackAddress())).isEqualTo(new InetSocketAddress("127.0.0.1", 5301));
        assertThat(settings.zoneServer(InetAddress.getByAddress(new byte[]{(byte) 192, 0, 2, 1}))).isEqualTo(new InetSocketAddress("192.0.2.1", 53));
        assertThat(settings.withLimits(java.time.Duration.ofSeconds(1), 2, 8).authoritativePorts()).containsEntry("127.0.10.1", 5300);
        assertThat(ResolverSettings.authoritative(List.of(ResolverSettings.parseServer("127.0.10.1:5300"))).asksZoneServers()).isFalse();
        assertThatThrownBy(() -> ResolverSettings.parsePorts(List.of("127.0.10.1:5300"))).hasMessageContaining("ADDRESS=PORT");
        assertThatThrownBy(() -> ResolverSettings.parsePorts(List.of("127.0.10.1=none"))).hasMessageContaining("1 to 65535");
    }

    @Test
    void onlyOneDefaultAuthoritativeServer() {
        assertThatThrownBy(() -> ResolverSettings.authoritative(List.of(ResolverSettings.parseServer("127.0.0.1:53"),
                ResolverSettings.parseServer("127.0.0.2:53")))).hasMessageContaining("at most one");
    }
}
