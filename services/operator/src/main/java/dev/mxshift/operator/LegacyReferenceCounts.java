package dev.mxshift.operator;

import dev.mxshift.model.workflow.MigrationState;

import java.util.Map;
import java.util.TreeMap;

/**
 * The zone sweep's findings as the event log holds them (each domain's latest {@code LegacyReferencesFound}, carried in
 * its state), counted per tenant for status, the API and the report: how many domains have any, how many references,
 * how many of them certain (the record names a legacy host) rather than likely (it holds a legacy address).
 */
record LegacyReferenceCounts(int domains, int references, int certain) {

    /** Per tenant, in name order; a tenant none of whose domains has a reference is not listed. */
    static Map<String, LegacyReferenceCounts> byTenant(Iterable<MigrationState> states) {
        Map<String, LegacyReferenceCounts> byTenant = new TreeMap<>();
        for (MigrationState s : states) {
            if (s.legacyReferences().isEmpty()) {
                continue;
            }
            int certain = (int) s.legacyReferences().stream().filter(r -> r.confidence().equals("CERTAIN")).count();
            byTenant.merge(s.tenant() == null ? "?" : s.tenant().value(), new LegacyReferenceCounts(1, s.legacyReferences().size(), certain),
                    (a, b) -> new LegacyReferenceCounts(a.domains + b.domains, a.references + b.references, a.certain + b.certain));
        }
        return byTenant;
    }

    /** A tenant's line: {@code contoso  3 in 2 domains (2 certain, 1 likely)}. */
    static String line(String tenant, LegacyReferenceCounts c) {
        return String.format("  %-30s %,d in %,d domain%s (%,d certain, %,d likely)", tenant, c.references, c.domains, c.domains == 1 ? "" : "s",
                c.certain, c.references - c.certain);
    }

    /** The heading above the tenants' lines. */
    static final String HEADING = "records still on the legacy hosts (zone sweep; sweep --record updates them; status DOMAIN lists a domain's):";
}
