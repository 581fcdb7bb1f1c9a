package dev.mxshift.discovery.dns;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import org.xbill.DNS.Name;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.TextParseException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where discovery sends its queries, and how hard it tries.
 *
 * <ul>
 * <li>{@link Mode#SYSTEM}: the resolvers of {@code /etc/resolv.conf}.</li>
 * <li>{@link Mode#RECURSIVE}: a given recursive resolver (the lab's Unbound, the hoster's own). Queries carry CD,
 * so records behind broken DNSSEC are still seen: judging DNSSEC is validation's job, not discovery's.</li>
 * <li>{@link Mode#AUTHORITATIVE}: straight to the hoster's authoritative servers, without recursion: each name goes
 * to the server of the longest zone listed for it, or to the default server. A DS goes to its parent's server.</li>
 * </ul>
 *
 * In the first two modes a domain's MX set is also asked of the zone's own servers, found through its NS set: a
 * resolver's cached answer counts the TTL down, and the plan must expect the TTL the zone holds.
 * {@code authoritativePorts} maps the address of a server that listens elsewhere than port 53 (the lab's) to its port.
 */
public record ResolverSettings(Mode mode, List<AuthoritativeServer> servers, Duration timeout, int attempts,
                               Duration firstBackoff, int maxInFlight, Map<String, Integer> authoritativePorts) {

    public enum Mode { SYSTEM, RECURSIVE, AUTHORITATIVE }

    /**
     * A server, and for {@link Mode#AUTHORITATIVE} the zones it serves (empty: the default server). A registry's server
     * ({@code delegationsOnly}) holds zones that only delegate: it answers for their apex and for its children's DS,
     * never for a name below a child, which its own server answers.
     */
    public record AuthoritativeServer(InetSocketAddress address, List<Name> zones, boolean delegationsOnly) {
        public AuthoritativeServer {
            zones = List.copyOf(zones);
        }

        public AuthoritativeServer(InetSocketAddress address, List<Name> zones) {
            this(address, zones, false);
        }

        public String label() {
            return address.getAddress().getHostAddress() + ":" + address.getPort();
        }
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_ATTEMPTS = 4;
    public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofMillis(100);
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;

    public ResolverSettings {
        servers = List.copyOf(servers);
        authoritativePorts = Map.copyOf(authoritativePorts);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no DNS server to ask: give a resolver (--resolver HOST:PORT) or authoritative servers");
        }
        if (attempts < 1 || attempts > 10) {
            throw new IllegalArgumentException("attempts must be between 1 and 10, got " + attempts);
        }
        if (maxInFlight < 1 || maxInFlight > 4096) {
            throw new IllegalArgumentException("queries in flight must be between 1 and 4096, got " + maxInFlight);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the query timeout must be positive, got " + timeout);
        }
        if (mode == Mode.AUTHORITATIVE && servers.stream().filter(s -> s.zones().isEmpty()).count() > 1) {
            throw new IllegalArgumentException("at most one authoritative server may be the default (listed without zones)");
        }
    }

    public static ResolverSettings system() {
        List<AuthoritativeServer> servers = ResolverConfig.getCurrentConfig().servers().stream()
                .map(a -> new AuthoritativeServer(a, List.of())).toList();
        return new ResolverSettings(Mode.SYSTEM, servers, DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS, DEFAULT_FIRST_BACKOFF, DEFAULT_MAX_IN_FLIGHT, Map.of());
    }

    public static ResolverSettings recursive(List<InetSocketAddress> resolvers) {
        return new ResolverSettings(Mode.RECURSIVE, resolvers.stream().map(a -> new AuthoritativeServer(a, List.of())).toList(),
                DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS, DEFAULT_FIRST_BACKOFF, DEFAULT_MAX_IN_FLIGHT, Map.of());
    }

    public static ResolverSettings authoritative(List<AuthoritativeServer> servers) {
        return new ResolverSettings(Mode.AUTHORITATIVE, servers, DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS, DEFAULT_FIRST_BACKOFF, DEFAULT_MAX_IN_FLIGHT, Map.of());
    }

    public ResolverSettings withLimits(Duration newTimeout, int newAttempts, int newMaxInFlight) {
        return new ResolverSettings(mode, servers, newTimeout, newAttempts, firstBackoff, newMaxInFlight, authoritativePorts);
    }

    /** The same, with servers that listen elsewhere than port 53 (address to port; see {@link #parsePorts(List)}). */
    public ResolverSettings withAuthoritativePorts(Map<String, Integer> ports) {
        return new ResolverSettings(mode, servers, timeout, attempts, firstBackoff, maxInFlight, ports);
    }

    /** Whether a domain's MX set is also asked of its zone's own servers (not in {@link Mode#AUTHORITATIVE}, where every answer is theirs). */
    public boolean asksZoneServers() {
        return mode != Mode.AUTHORITATIVE;
    }

    /**
     * Where to ask a zone's name server found at {@code address}: port 53 unless {@code authoritativePorts} says
     * otherwise, or, in {@link Mode#AUTHORITATIVE}, one of the configured servers listens at that address elsewhere.
     */
    public InetSocketAddress zoneServer(InetAddress address) {
        Integer port = authoritativePorts.get(address.getHostAddress());
        if (port == null && mode == Mode.AUTHORITATIVE) {
            port = servers.stream().filter(s -> s.address().getAddress().equals(address)).map(s -> s.address().getPort())
                    .findFirst().orElse(null);
        }
        return new InetSocketAddress(address, port == null ? 53 : port);
    }

    /** Parses {@code ADDRESS=PORT} entries (the lab's servers off port 53), as validation's {@code authoritative-ports}. */
    public static Map<String, Integer> parsePorts(List<String> entries) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + entry + "': an authoritative port is given as ADDRESS=PORT, e.g. 127.0.10.1=5300");
            }
            InetSocketAddress address = parseAddress(entry.substring(0, eq));
            ports.put(address.getAddress().getHostAddress(), port(entry, entry.substring(eq + 1).trim()));
        }
        return ports;
    }

    /** Parses {@code HOST:PORT} or {@code HOST} (port 53); IPv6 as {@code [::1]:53}. */
    public static InetSocketAddress parseAddress(String text) {
        String host = text.trim();
        int port = 53;
        int colon = host.lastIndexOf(':');
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "': an IPv6 address is written [ADDRESS]:PORT");
            }
            if (close + 1 < host.length()) {
                port = port(text, host.substring(close + 2));
            }
            host = host.substring(1, close);
        } else if (colon > 0 && host.indexOf(':') == colon) {
            port = port(text, host.substring(colon + 1));
            host = host.substring(0, colon);
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException("'" + text + "': give the server as an IP address, not a name (a name would need a resolver to find it)");
        }
        return new InetSocketAddress(host, port);
    }

    /** Parses {@code HOST:PORT=zone1,zone2} (zones optional). */
    public static AuthoritativeServer parseServer(String text) {
        int eq = text.indexOf('=');
        InetSocketAddress address = parseAddress(eq < 0 ? text : text.substring(0, eq));
        List<Name> zones = new ArrayList<>();
        if (eq >= 0) {
            for (String zone : text.substring(eq + 1).split(",")) {
                if (!zone.isBlank()) {
                    zones.add(zoneName(zone));
                }
            }
        }
        return new AuthoritativeServer(address, zones);
    }

    /** A zone as given by a person (any case, IDN or A-label, trailing dot or not), as a DNS name. */
    public static Name zoneName(String zone) {
        String text = zone.trim().toLowerCase(Locale.ROOT);
        text = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        try {
            return Name.fromString(DomainName.of(text).value() + ".");
        } catch (TextParseException | InvalidValueException e) {
            throw new IllegalArgumentException("'" + zone + "' is not a zone name: " + e.getMessage(), e);
        }
    }

    private static int port(String text, String port) {
        try {
            int value = Integer.parseInt(port);
            if (value < 1 || value > 65535) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': the port must be a number from 1 to 65535");
        }
    }
}
