package dev.mxshift.model.dns;

import java.util.regex.Pattern;

/**
 * Where a domain's zone is hosted: the name of a configured connector instance and the zone at it.
 * The connector id names configuration, never a credential (invariant 5: secrets are referenced by name).
 */
public record ProviderRef(String connectorId, DomainName zone) {

    private static final Pattern CONNECTOR_ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62})");

    public ProviderRef {
        if (connectorId == null || !CONNECTOR_ID.matcher(connectorId).matches()) {
            throw new InvalidValueException("connector id", connectorId,
                    "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit (it names a configured connector)");
        }
        if (zone == null) {
            throw new InvalidValueException("zone", null, "is required");
        }
    }

    public static ProviderRef of(String connectorId, String zone) {
        return new ProviderRef(connectorId, DomainName.of(zone));
    }

    @Override
    public String toString() {
        return connectorId + ":" + zone;
    }
}
