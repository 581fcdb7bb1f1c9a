package dev.mxshift.validation;

import dev.mxshift.model.dnssec.ParentPath;
import dev.mxshift.validation.signing.SigningPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code mxshift.validation.signing.*}: what the DNSSEC stage's preflight must know. For each connector (by the id
 * inventories name), the name servers it serves zones from and the secondaries that transfer its zones: a zone whose
 * delegation names any other server cannot be signed safely. For each parent zone, how a DS reaches it: {@code cds}
 * (the registry scans CDS), {@code manual} (a person at the registrar), {@code webhook} (the hoster's registrar
 * system) or {@code epp} (mxshift speaks EPP to the registry), the last two configured in the push service; {@code default-path} for the parents not named (empty: every parent must be).
 */
@ConfigurationProperties("mxshift.validation.signing")
record SigningProperties(Map<String, ConnectorServers> connectors, Map<String, String> parents, String defaultPath) {

    record ConnectorServers(List<String> nameServers, List<String> secondaries) {
        ConnectorServers {
            nameServers = nameServers == null ? List.of() : List.copyOf(nameServers);
            secondaries = secondaries == null ? List.of() : List.copyOf(secondaries);
        }
    }

    SigningProperties {
        connectors = connectors == null ? Map.of() : Map.copyOf(connectors);
        parents = parents == null ? Map.of() : Map.copyOf(parents);
    }

    /** The policy, or null when no connector is configured for signing (then nothing is signed). */
    SigningPolicy policy() {
        if (connectors.isEmpty()) {
            return null;
        }
        Map<String, Set<Name>> servers = new LinkedHashMap<>();
        Map<String, Set<Name>> secondaries = new LinkedHashMap<>();
        connectors.forEach((id, c) -> {
            if (c.nameServers().isEmpty()) {
                throw new IllegalArgumentException("mxshift.validation.signing.connectors." + id + ".name-servers: name the servers"
                        + " connector " + id + " serves zones from (its NS names)");
            }
            servers.put(id, names("connectors." + id + ".name-servers", c.nameServers()));
            secondaries.put(id, names("connectors." + id + ".secondaries", c.secondaries()));
        });
        Map<Name, ParentPath> paths = new LinkedHashMap<>();
        parents.forEach((parent, path) -> paths.put(name("parents", parent), path("parents." + parent, path)));
        Optional<ParentPath> fallback = defaultPath == null || defaultPath.isBlank() ? Optional.empty() : Optional.of(path("default-path", defaultPath));
        return new SigningPolicy(servers, secondaries, paths, fallback);
    }

    private static Set<Name> names(String key, List<String> values) {
        Set<Name> names = new LinkedHashSet<>();
        values.forEach(v -> names.add(name(key, v)));
        return names;
    }

    private static Name name(String key, String value) {
        try {
            return Name.fromString(value.endsWith(".") ? value : value + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("mxshift.validation.signing." + key + ": '" + value + "' is not a domain name");
        }
    }

    private static ParentPath path(String key, String value) {
        try {
            return ParentPath.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mxshift.validation.signing." + key + ": '" + value + "' is not one of cds, manual, webhook, epp");
        }
    }
}
