package dev.mxshift.connector;

import java.util.Locale;
import java.util.Objects;

/**
 * A zone as a provider lists it, with the account it belongs to at the provider where the provider keeps one: PowerDNS's
 * zone {@code account}, a Cloudflare account (its id and name). {@code accountId} and {@code accountName} are null where
 * the provider has no such thing (Route 53 hosted zones, zone files) or the zone has none.
 *
 * @param zone        the zone's name, lower case, without the final dot
 * @param accountId   the provider's key of the owning account, or null
 * @param accountName the account's name for people, or null (PowerDNS's account is one string: both fields carry it)
 */
public record ListedZone(String zone, String accountId, String accountName) {

    public ListedZone {
        Objects.requireNonNull(zone, "zone");
        zone = zone.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        accountId = blankToNull(accountId);
        accountName = blankToNull(accountName);
    }

    /** A zone whose provider names no account. */
    public static ListedZone withoutAccount(String zone) {
        return new ListedZone(zone, null, null);
    }

    public boolean hasAccount() {
        return accountId != null || accountName != null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
