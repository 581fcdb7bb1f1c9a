package dev.mxshift.operator;

import dev.mxshift.connector.ListedZone;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.TenantId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the inventory {@code inventory-from} writes (issue 29, decision 0030): per zone a connector lists, its tenant,
 * or why it has none. Pure; the listing and the writing are the caller's.
 *
 * <p>A zone's tenant is, first found: the mapping file's row for the zone; its row for the zone's provider account (by
 * the account's id, then its name); the provider's account name itself where it is a valid tenant id (PowerDNS's
 * {@code account}, a Cloudflare account's name; never an account's id, which is the provider's key, not the hoster's). A zone listed by two connectors is kept with the first (an inventory
 * names one connector per domain) and the second is left out, saying so.
 */
final class ProviderInventory {

    /** The zones one connector listed. */
    record Listing(String connector, List<ListedZone> zones) {
    }

    /** A row of the inventory: the zone's apex is the domain; {@code why} says where the tenant came from. */
    record Row(TenantId tenant, String domain, String connector, String zone, String why) {
    }

    /** A zone not in the inventory, and what to do about it. */
    record LeftOut(String connector, String zone, String account, String reason) {
        @Override
        public String toString() {
            return zone + " (" + connector + (account == null ? "" : ", account " + account) + "): " + reason;
        }
    }

    record Result(List<Row> rows, List<LeftOut> leftOut) {
    }

    private ProviderInventory() {
    }

    static Result decide(List<Listing> listings, ZoneTenantMapping mapping) {
        List<Row> rows = new ArrayList<>();
        List<LeftOut> leftOut = new ArrayList<>();
        Map<String, String> kept = new HashMap<>();
        for (Listing listing : listings) {
            List<ListedZone> zones = new ArrayList<>(listing.zones());
            zones.sort(Comparator.comparing(ListedZone::zone));
            for (ListedZone listed : zones) {
                String account = account(listed);
                String zone;
                try {
                    zone = ZoneTenantMapping.zoneKey(listed.zone());
                } catch (InvalidValueException e) {
                    leftOut.add(new LeftOut(listing.connector(), listed.zone(), account, "not a domain name an inventory takes: " + e.reason()));
                    continue;
                }
                String first = kept.putIfAbsent(zone, listing.connector());
                if (first != null) {
                    leftOut.add(new LeftOut(listing.connector(), zone, account, "also listed by " + first
                            + ", where the inventory has it (one connector per domain); name the right one with --mapping or leave " + first + " out"));
                    continue;
                }
                Optional<Row> row = tenant(listed, mapping).map(t -> new Row(t.tenant(), zone, listing.connector(), zone, t.source()));
                if (row.isPresent()) {
                    rows.add(row.get());
                } else {
                    kept.remove(zone);
                    leftOut.add(new LeftOut(listing.connector(), zone, account, unmappedReason(listed)));
                }
            }
        }
        return new Result(rows, leftOut);
    }

    private static Optional<ZoneTenantMapping.Mapped> tenant(ListedZone zone, ZoneTenantMapping mapping) {
        return mapping.forZone(zone.zone())
                .or(() -> mapping.forAccount(zone.accountId(), zone.accountName()))
                .or(() -> providerAccount(zone.accountName()).map(t -> new ZoneTenantMapping.Mapped(t, "the provider's account")));
    }

    private static Optional<TenantId> providerAccount(String account) {
        if (account == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(TenantId.of(account));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }

    private static String unmappedReason(ListedZone zone) {
        if (!zone.hasAccount()) {
            return "no tenant: the provider names no account for it and the mapping file has no row for it; add 'zone,tenant' to the mapping file";
        }
        return "no tenant: its account " + account(zone) + " names no tenant and the mapping file maps neither the zone nor the account;"
                + " add '" + ZoneTenantMapping.ACCOUNT_PREFIX + (zone.accountId() != null ? zone.accountId() : zone.accountName()) + ",TENANT'";
    }

    /** The account as people read it: "name (id)", or whichever is known. */
    static String account(ListedZone zone) {
        if (!zone.hasAccount()) {
            return null;
        }
        if (zone.accountId() == null || zone.accountId().equals(zone.accountName())) {
            return "'" + (zone.accountName() == null ? zone.accountId() : zone.accountName()) + "'";
        }
        return zone.accountName() == null ? "'" + zone.accountId() + "'" : "'" + zone.accountName() + "' (" + zone.accountId() + ")";
    }
}
