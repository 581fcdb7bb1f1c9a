package dev.mxshift.dnspush;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import dev.mxshift.dnspush.engine.ResilientConnector;
import dev.mxshift.service.EventAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** The push service's connectors, from {@code mxshift.push.connectors}, and its handler. */
@Configuration
@EnableConfigurationProperties(PushProperties.class)
class PushConfiguration {

    @Bean(destroyMethod = "")
    Map<String, ResilientConnector> connectors(PushProperties properties, MeterRegistry meters) throws ConnectorException {
        ConnectorRegistry registry = new ConnectorRegistry();
        ResilientConnector.Registries registries = ResilientConnector.Registries.fresh();
        // Per-instance Resilience4j metrics at /actuator/prometheus (resilience4j_*{name="connector-<id>"}).
        TaggedRetryMetrics.ofRetryRegistry(registries.retries()).bindTo(meters);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registries.breakers()).bindTo(meters);
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(registries.limiters()).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(registries.bulkheads()).bindTo(meters);
        Map<String, ResilientConnector> connectors = new LinkedHashMap<>();
        for (PushProperties.Connector config : properties.connectors()) {
            if (config.id() == null || config.type() == null) {
                throw new IllegalArgumentException("every entry of mxshift.push.connectors needs an id and a type");
            }
            ResilientConnector connector = registry.create(config.id(), config.type(), config.settings(), registries);
            if (connectors.put(config.id(), connector) != null) {
                throw new IllegalArgumentException("two connectors are configured with the id '" + config.id() + "'");
            }
        }
        return connectors;
    }

    /** Which tenants each connector may write for, from {@code mxshift.push.connectors[].tenants}. */
    @Bean
    dev.mxshift.dnspush.engine.ConnectorGrants connectorGrants(PushProperties properties) {
        Map<String, java.util.List<String>> grants = new LinkedHashMap<>();
        properties.connectors().forEach(c -> grants.put(c.id(), c.tenants()));
        return dev.mxshift.dnspush.engine.ConnectorGrants.of(grants);
    }

    /** Off only where a test exercises the bare shell (ServiceShellContract). */
    @Bean
    @ConditionalOnProperty(name = "mxshift.push.handler.enabled", havingValue = "true", matchIfMissing = true)
    PushHandler pushHandler(Map<String, ResilientConnector> connectors, dev.mxshift.dnspush.engine.ConnectorGrants grants,
                            MeterRegistry meters, PushProperties properties,
                            @org.springframework.beans.factory.annotation.Value("${mxshift.push.dry-run:false}") boolean dryRun,
                            @org.springframework.beans.factory.annotation.Value("${mxshift.push.wait-compression:1}") long waitCompression) {
        if (waitCompression > 1) {
            org.slf4j.LoggerFactory.getLogger(PushConfiguration.class).warn("waits are compressed {} times (mxshift.push.wait-compression): "
                    + "for the lab only; in production a TTL wait must last the TTL", waitCompression);
        }
        return new PushHandler(connectors, grants, Clock.systemUTC(), meters, dryRun, waitCompression, registrars(properties),
                signallingZones(properties, connectors));
    }

    /**
     * The RFC 9615 signalling zones, from {@code mxshift.push.signalling-zones}: each names a configured connector that
     * writes CDS and CDNSKEY records and manages DNSSEC (the zone must be signed for a signal to validate, and only such a
     * connector can say whether it is). A bad entry stops the service at start, naming the entry and the field.
     */
    static dev.mxshift.dnspush.parent.DsbootSignals signallingZones(PushProperties properties,
                                                                     Map<String, ? extends dev.mxshift.connector.DnsConnector> connectors) {
        java.util.List<dev.mxshift.dnspush.parent.DsbootSignals.SignallingZone> zones = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < properties.signallingZones().size(); i++) {
            PushProperties.SignallingZone entry = properties.signallingZones().get(i);
            String where = "mxshift.push.signalling-zones[" + i + "]";
            String zone = entry.zone() == null ? "" : entry.zone().strip().toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", "");
            if (!zone.matches("([a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}")) {
                throw new IllegalArgumentException(where + ".zone: '" + entry.zone() + "' is not a zone name such as ns.example.net");
            }
            if (!seen.add(zone)) {
                throw new IllegalArgumentException(where + ".zone: " + zone + " is configured twice");
            }
            dev.mxshift.connector.DnsConnector connector = entry.connector() == null ? null : connectors.get(entry.connector());
            if (connector == null) {
                throw new IllegalArgumentException(where + ".connector: '" + entry.connector() + "' is not one of the configured connectors "
                        + connectors.keySet() + " (mxshift.push.connectors[].id)");
            }
            if (!connector.capabilities().dnssecManagement() || !connector.capabilities().recordTypes().containsAll(java.util.List.of("CDS", "CDNSKEY"))) {
                throw new IllegalArgumentException(where + ".connector: " + entry.connector() + " cannot hold RFC 9615 signals: it must write CDS"
                        + " and CDNSKEY records and manage DNSSEC, so that mxshift can check the signalling zone is signed (declared: "
                        + connector.capabilities().recordTypes() + ", DNSSEC " + connector.capabilities().dnssecManagement() + ")");
            }
            long ttl = entry.ttl() == null ? 300 : entry.ttl();
            if (ttl < 1 || ttl > 86_400) {
                throw new IllegalArgumentException(where + ".ttl: " + ttl + " is not between 1 and 86400 seconds");
            }
            zones.add(new dev.mxshift.dnspush.parent.DsbootSignals.SignallingZone(zone, connector, ttl));
        }
        return new dev.mxshift.dnspush.parent.DsbootSignals(zones);
    }

    /** The webhook and epp paths' registrar systems by parent zone, from {@code mxshift.push.registrars}. */
    static Map<String, dev.mxshift.connector.parent.ParentChannel> registrars(PushProperties properties) {
        Map<String, dev.mxshift.connector.parent.ParentChannel> byParent = new LinkedHashMap<>();
        for (PushProperties.Registrar registrar : properties.registrars()) {
            if (registrar.id() == null || registrar.parents().isEmpty()) {
                throw new IllegalArgumentException("every entry of mxshift.push.registrars needs an id and the parent zones it serves (parents: [com, net] or ['*'])");
            }
            dev.mxshift.connector.parent.ParentChannel channel;
            try {
                dev.mxshift.connector.ConnectorConfig config = new dev.mxshift.connector.ConnectorConfig(registrar.id(), "registrar-" + registrar.type(),
                        registrar.settings(), reference -> new dev.mxshift.service.SecretReference(reference).resolve());
                channel = switch (registrar.type()) {
                    case "webhook" -> new dev.mxshift.dnspush.parent.RegistrarWebhook(config);
                    case "epp" -> new dev.mxshift.dnspush.parent.EppRegistrar(config);
                    default -> throw new IllegalArgumentException("mxshift.push.registrars " + registrar.id() + ": type '" + registrar.type()
                            + "' is not one of webhook (docs/registrar-webhook.md) or epp (docs/registrar-epp.md)");
                };
            } catch (ConnectorException e) {
                throw new IllegalArgumentException("mxshift.push.registrars " + registrar.id() + ": " + e.getMessage(), e);
            }
            for (String parent : registrar.parents()) {
                String key = parent.equals("*") ? "*" : parent.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", "");
                if (byParent.put(key, channel) != null) {
                    throw new IllegalArgumentException("mxshift.push.registrars: two registrar systems serve the parent zone '" + key + "'");
                }
            }
        }
        return byParent;
    }

    /** Wait steps' durable timers; {@code PartitionHandover} hands them the states of every partition Kafka gives this instance. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "mxshift.push.handler.enabled", havingValue = "true", matchIfMissing = true)
    dev.mxshift.dnspush.timers.WaitTimers waitTimers(EventAppender appender, MeterRegistry meters) {
        return new dev.mxshift.dnspush.timers.WaitTimers(appender, Clock.systemUTC(), meters);
    }
}
