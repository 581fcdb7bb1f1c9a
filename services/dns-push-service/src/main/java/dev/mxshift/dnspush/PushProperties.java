package dev.mxshift.dnspush;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;
import java.util.Map;

/**
 * {@code mxshift.push.*}: the connector instances, each with the id inventories name in their {@code connector}
 * column, its type (a connector on the class path: powerdns, rfc2136, or a hoster's own), the tenants whose domains
 * it may write ({@code *}: every tenant; decision 0021) and its settings. Secrets in settings are references
 * ({@code env:NAME}, {@code file:/path}), never values.
 */
@ConfigurationProperties("mxshift.push")
public record PushProperties(List<Connector> connectors, List<Registrar> registrars, List<SignallingZone> signallingZones) {

    public PushProperties {
        connectors = connectors == null ? List.of() : List.copyOf(connectors);
        registrars = registrars == null ? List.of() : List.copyOf(registrars);
        signallingZones = signallingZones == null ? List.of() : List.copyOf(signallingZones);
    }

    /**
     * One of the DNS operator's own DNSSEC-signed zones that holds name server hosts of its customers' zones (the
     * hoster's {@code ns1.example.net}): the {@code cds} path publishes RFC 9615 signals in it, through the connector
     * with this id, with this TTL in seconds (default 300).
     */
    public record SignallingZone(String zone, String connector, Long ttl) {
    }

    /**
     * A registrar system of the DNSSEC stage's {@code webhook} path (docs/registrar-webhook.md; {@code url}, {@code token}
     * as a secret reference) or, with {@code type: epp}, a registry mxshift speaks EPP to (docs/registrar-epp.md;
     * {@code host}, {@code ca-file}, {@code client-id}, {@code password} as a secret reference): the parent zones whose DS
     * it publishes ({@code *}: every parent not named by another), its type ({@code webhook} when not given) and settings.
     */
    public record Registrar(String id, String type, List<String> parents, Map<String, String> settings) {
        public Registrar {
            type = type == null || type.isBlank() ? "webhook" : type.strip().toLowerCase(java.util.Locale.ROOT);
            parents = parents == null ? List.of() : List.copyOf(parents);
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }
    }

    public record Connector(String id, String type, List<String> tenants, Map<String, String> settings) {
        public Connector {
            tenants = tenants == null ? List.of() : List.copyOf(tenants);
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }
    }
}
