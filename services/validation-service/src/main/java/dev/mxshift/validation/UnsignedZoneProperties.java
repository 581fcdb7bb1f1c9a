package dev.mxshift.validation;

import dev.mxshift.model.event.UnsignedZonePolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code mxshift.validation.unsigned-zone.*}: what to do with a domain whose zone is not DNSSEC-secure, where its
 * inventory row does not say (column {@code unsigned_zone}): by wave, then by tenant, then the default. Values: sign,
 * migrate-insecure, block.
 */
@ConfigurationProperties("mxshift.validation.unsigned-zone")
record UnsignedZoneProperties(String defaultPolicy, Map<String, String> byWave, Map<String, String> byTenant) {

    UnsignedZoneProperties {
        byWave = byWave == null ? Map.of() : Map.copyOf(byWave);
        byTenant = byTenant == null ? Map.of() : Map.copyOf(byTenant);
    }

    /**
     * The default; {@code allow-insecure-zone: true}, the setting this replaced, still means migrate-insecure where no
     * default is set. Null when neither is set: then a domain's zone is signed where its connector is configured for
     * signing ({@code mxshift.validation.signing.connectors}), and blocked otherwise ({@link
     * dev.mxshift.validation.preflight.PreflightPolicy#unsignedZoneFor}).
     */
    UnsignedZonePolicy defaultFor(boolean legacyAllowInsecure) {
        if (defaultPolicy == null || defaultPolicy.isBlank()) {
            return legacyAllowInsecure ? UnsignedZonePolicy.MIGRATE_INSECURE : null;
        }
        return parse("default-policy", defaultPolicy);
    }

    Map<String, UnsignedZonePolicy> waves() {
        return parseAll("by-wave", byWave);
    }

    Map<String, UnsignedZonePolicy> tenants() {
        return parseAll("by-tenant", byTenant);
    }

    private static Map<String, UnsignedZonePolicy> parseAll(String key, Map<String, String> raw) {
        Map<String, UnsignedZonePolicy> parsed = new LinkedHashMap<>();
        raw.forEach((name, value) -> parsed.put(name, parse(key + "." + name, value)));
        return parsed;
    }

    private static UnsignedZonePolicy parse(String key, String value) {
        try {
            return UnsignedZonePolicy.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mxshift.validation.unsigned-zone." + key + ": '" + value + "' is not one of sign, migrate-insecure, block");
        }
    }
}
