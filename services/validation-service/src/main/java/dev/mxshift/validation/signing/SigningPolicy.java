package dev.mxshift.validation.signing;

import dev.mxshift.model.dnssec.ParentPath;
import org.xbill.DNS.Name;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What configuration tells the signing preflight: the name servers each connector controls, the secondaries declared
 * for it (they transfer the zone from the connector's primary, so they serve what it signs), and how a DS reaches
 * each parent zone, with a default for parents not named (absent: every parent must be named).
 */
public record SigningPolicy(Map<String, Set<Name>> connectorServers, Map<String, Set<Name>> declaredSecondaries,
                            Map<Name, ParentPath> dsPaths, Optional<ParentPath> defaultPath) {

    public SigningPolicy {
        connectorServers = Map.copyOf(connectorServers);
        declaredSecondaries = Map.copyOf(declaredSecondaries);
        dsPaths = Map.copyOf(dsPaths);
    }

    /** The servers a connector serves a zone from; empty when the connector is not configured. */
    Optional<Set<Name>> serversOf(String connector) {
        Set<Name> controlled = connectorServers.get(connector);
        if (controlled == null) {
            return Optional.empty();
        }
        Set<Name> all = new HashSet<>(controlled);
        all.addAll(declaredSecondaries.getOrDefault(connector, Set.of()));
        return Optional.of(all);
    }

    Optional<ParentPath> pathFor(Name parent) {
        ParentPath path = dsPaths.get(parent);
        return path != null ? Optional.of(path) : defaultPath;
    }
}
