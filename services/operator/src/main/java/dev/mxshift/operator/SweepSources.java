package dev.mxshift.operator;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import dev.mxshift.dnspush.engine.ResilientConnector;
import dev.mxshift.operator.system.LabServiceConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the sweep reads zones: connector instances made by the push service's {@link ConnectorRegistry} (the same
 * types, settings and limits as the migration's), each with the zones it names, or none to list them.
 */
final class SweepSources {

    /** One connector to sweep; {@code zones} empty: every zone it lists. */
    record Source(String id, ResilientConnector connector, List<String> zones) {
    }

    private SweepSources() {
    }

    /**
     * A connectors file: {@code {"connectors": [{"id": ..., "type": ..., "settings": {...}, "zones": [...]}]}}; settings
     * as the push service's {@code mxshift.push.connectors[n].settings}, secrets as references ({@code env:}, {@code file:}).
     */
    static List<Source> fromFile(Path file, ConnectorRegistry registry) throws ConnectorException {
        JsonNode root = read(file);
        JsonNode connectors = root.path("connectors");
        if (!connectors.isArray() || connectors.isEmpty()) {
            throw new IllegalArgumentException(file + ": 'connectors' must be a non-empty array of {id, type, settings, zones}");
        }
        List<Source> sources = new ArrayList<>();
        int i = 0;
        for (JsonNode c : connectors) {
            String where = file + ": connectors[" + i++ + "]";
            String id = text(c, "id", where);
            String type = text(c, "type", where);
            Map<String, String> settings = new LinkedHashMap<>();
            c.path("settings").properties().forEach(e -> settings.put(e.getKey(), e.getValue().asString()));
            sources.add(new Source(id, registry.create(id, type, settings), zones(c)));
        }
        return sources;
    }

    /**
     * The lab's hosters' servers from its endpoints.json: PowerDNS through its API ({@code lab-powerdns}, every zone it
     * lists) and BIND by AXFR with the lab's TSIG key ({@code lab-bind}, the zones endpoints.json lists for it). The
     * secrets go to files readable by the owner only in {@code secrets}, and are named by reference.
     */
    static List<Source> fromLab(Path endpointsFile, Path secrets, ConnectorRegistry registry) throws ConnectorException {
        JsonNode lab = read(endpointsFile);
        List<Source> sources = new ArrayList<>();
        Path apiKey = LabServiceConfig.secret(secrets.resolve("powerdns-api-key"), lab.path("powerdnsApi").path("apiKey").asString());
        sources.add(new Source("lab-powerdns", registry.create("lab-powerdns", "powerdns", Map.of(
                "url", lab.path("powerdnsApi").path("url").asString(), "api-key", "file:" + apiKey)), List.of()));
        for (JsonNode server : lab.path("authoritative")) {
            if (server.path("name").asString().equals("bind")) {
                Path tsig = LabServiceConfig.secret(secrets.resolve("tsig-secret"), lab.path("tsig").path("secret").asString());
                sources.add(new Source("lab-bind", registry.create("lab-bind", "rfc2136", Map.of(
                        "server", server.path("address").asString() + ":" + server.path("port").asInt(),
                        "tsig-key-name", lab.path("tsig").path("name").asString(),
                        "tsig-algorithm", lab.path("tsig").path("algorithm").asString(),
                        "tsig-secret", "file:" + tsig)), zones(server)));
            }
        }
        return sources;
    }

    /** Zone files in a directory ({@code <zone>.db}), read by the zonefile connector; nothing is written. */
    static Source zoneFiles(Path directory, ConnectorRegistry registry) throws ConnectorException {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("--zone-files " + directory + " is not a directory");
        }
        return new Source("zone-files", registry.create("zone-files", "zonefile", Map.of("directory", directory.toString())), List.of());
    }

    private static List<String> zones(JsonNode node) {
        List<String> zones = new ArrayList<>();
        node.path("zones").forEach(z -> zones.add(z.asString().replaceAll("\\.$", "")));
        return zones;
    }

    private static String text(JsonNode node, String field, String where) {
        String value = node.path(field).asString("");
        if (value.isBlank()) {
            throw new IllegalArgumentException(where + " has no '" + field + "'");
        }
        return value;
    }

    private static JsonNode read(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(file + " cannot be read");
        }
        try {
            return JsonMapper.builder().build().readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
