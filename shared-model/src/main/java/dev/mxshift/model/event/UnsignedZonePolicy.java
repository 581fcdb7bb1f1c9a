package dev.mxshift.model.event;

import dev.mxshift.model.dns.EnumWords;

/**
 * What to do with a domain whose zone is not DNSSEC-secure (unsigned, or signed without a DS at the parent): without a
 * secure zone, senders cannot authenticate the MX lookup, so DANE does not protect the domain after the move.
 */
public enum UnsignedZonePolicy {
    /** Sign the zone, chain it to its parent, then migrate (the DNSSEC stage; where the zone's connector can sign). */
    SIGN("sign"),
    /** Move the MX anyway; the domain is reported everywhere as not DANE-protected until its zone is signed. */
    MIGRATE_INSECURE("migrate-insecure"),
    /** Stop at the preflight with the reason (what mxshift did before the policy existed). */
    BLOCK("block");

    /** How every view words a domain moved with an unsigned zone (the preflight's ZONE_INSECURE warning). */
    public static final String NOT_DANE_PROTECTED = "not DANE-protected: the zone is unsigned";

    /** The code of the preflight's finding, a block or (under {@link #MIGRATE_INSECURE}) a warning, for an insecure zone. */
    public static final String ZONE_INSECURE = "ZONE_INSECURE";

    private final String word;

    UnsignedZonePolicy(String word) {
        this.word = word;
    }

    /** As inventories and configuration spell it: sign, migrate-insecure, block. */
    public String word() {
        return word;
    }

    /** The policy a person or an inventory named: its word (migrate-insecure) or its name (MIGRATE_INSECURE), any case. */
    public static UnsignedZonePolicy parse(String text) {
        return EnumWords.parse(values(), UnsignedZonePolicy::word, "unsigned_zone", text);
    }
}
