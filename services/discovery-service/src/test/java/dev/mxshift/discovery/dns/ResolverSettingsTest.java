package dev.mxshift.discovery.dns;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

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
    void onlyOneDefaultAuthoritativeServer() {
        assertThatThrownBy(() -> ResolverSettings.authoritative(List.of(ResolverSettings.parseServer("127.0.0.1:53"),
                ResolverSettings.parseServer("127.0.0.2:53")))).hasMessageContaining("at most one");
    }
}
