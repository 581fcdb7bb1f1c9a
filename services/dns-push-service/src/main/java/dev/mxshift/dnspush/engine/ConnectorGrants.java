package dev.mxshift.dnspush.engine;

import dev.mxshift.model.dns.TenantId;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tenants' domains may be written through which connector (decision 0021): a connector holds the hoster's
 * credentials for the zones behind it, so the hoster grants each connector to the tenants whose zones it serves, or to
 * every tenant ({@code *}). The push service asks before every write, whatever an event says: an event that names a
 * connector not granted to its domain's tenant writes nothing.
 */
public final class ConnectorGrants {

    public static final String EVERY_TENANT = "*";

    private final Map<String, Set<String>> tenantsByConnector;

    private ConnectorGrants(Map<String, Set<String>> tenantsByConnector) {
        this.tenantsByConnector = tenantsByConnector;
    }

    /**
     * The grants from configuration: each connector id with its tenants. A connector must name at least one (or
     * {@code *}): a connector that names none is a configuration error, not a connector nobody may use by accident.
     */
    public static ConnectorGrants of(Map<String, List<String>> tenantsByConnector) {
        Map<String, Set<String>> grants = new LinkedHashMap<>();
        tenantsByConnector.forEach((connector, tenants) -> {
            if (tenants == null || tenants.isEmpty()) {
                throw new IllegalArgumentException("connector " + connector + " grants no tenant: list the tenants whose zones it serves in "
                        + "mxshift.push.connectors[].tenants (for example [tenant-contoso, tenant-fabrikam]), or ['*'] for every tenant");
            }
            Set<String> set = new TreeSet<>();
            for (String t : tenants) {
                set.add(t.equals(EVERY_TENANT) ? t : TenantId.of(t.strip()).value());
            }
            grants.put(connector, Set.copyOf(set));
        });
        return new ConnectorGrants(Map.copyOf(grants));
    }

    /** Why a write of {@code tenant}'s domain through {@code connector} is refused; empty where it is granted. */
    public Optional<String> refusal(String connector, TenantId tenant) {
        Set<String> tenants = tenantsByConnector.get(connector);
        if (tenants != null && (tenants.contains(EVERY_TENANT) || (tenant != null && tenants.contains(tenant.value())))) {
            return Optional.empty();
        }
        return Optional.of("connector '" + connector + "' is not granted to tenant " + tenant
                + " (mxshift.push.connectors[].tenants); nothing was written. Grant it, if the hoster assigned this zone to the tenant");
    }
}
