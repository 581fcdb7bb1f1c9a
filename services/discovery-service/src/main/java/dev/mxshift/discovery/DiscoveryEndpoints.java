package dev.mxshift.discovery;

import dev.mxshift.discovery.dns.ResolverSettings;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a lab's {@code endpoints.json} (see docs/lab.md) that discovery needs: the resolver, the
 * authoritative servers with their zones, the CA that signs the MTA-STS certificates and the MTA-STS port.
 */
public record DiscoveryEndpoints(InetSocketAddress resolver, List<ResolverSettings.AuthoritativeServer> authoritative,
                                 Path caFile, int mtaStsPort) {

    /** The lab's authoritative servers by address, with their ports (none listens on 53): where to ask a zone's own server. */
    public Map<String, Integer> authoritativePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        authoritative.forEach(s -> ports.put(s.address().getAddress().getHostAddress(), s.address().getPort()));
        return ports;
    }

    public static DiscoveryEndpoints read(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(file + " cannot be read (is the lab up? infra/lab/lab up writes it)");
        }
        try {
            JsonNode root = JsonMapper.builder().build().readTree(file.toFile());
            JsonNode resolver = need(root, "resolver", file);
            List<ResolverSettings.AuthoritativeServer> servers = new ArrayList<>();
            for (JsonNode server : need(root, "authoritative", file)) {
                List<org.xbill.DNS.Name> zones = new ArrayList<>();
                for (JsonNode zone : server.path("zones")) {
                    zones.add(ResolverSettings.zoneName(zone.asString()));
                }
                servers.add(new ResolverSettings.AuthoritativeServer(address(server, file), zones, server.path("delegationsOnly").asBoolean(false)));
            }
            JsonNode mtaSts = need(root, "mtaSts", file);
            return new DiscoveryEndpoints(address(resolver, file), servers, Path.of(need(root, "caFile", file).asString()),
                    need(mtaSts, "port", file).asInt());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static InetSocketAddress address(JsonNode node, Path file) {
        return new InetSocketAddress(need(node, "address", file).asString(), need(node, "port", file).asInt());
    }

    private static JsonNode need(JsonNode node, String field, Path file) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(file + " has no '" + field + "'");
        }
        return value;
    }
}
