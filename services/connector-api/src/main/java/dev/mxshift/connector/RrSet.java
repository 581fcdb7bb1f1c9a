package dev.mxshift.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One record set as connectors exchange it, in zone-file presentation form: the owner (lower case, no trailing
 * dot), the type mnemonic, the TTL, and each record's data (sorted: a record set is a set, RFC 2181 section 5).
 * Names inside the data are absolute, with the final dot ({@code 0 mail.example.com.}).
 */
public record RrSet(String owner, String type, long ttl, List<String> rdata) {

    public RrSet {
        if (owner == null || owner.isBlank() || owner.endsWith(".")) {
            throw new IllegalArgumentException("owner '" + owner + "' must be a name without the trailing dot");
        }
        owner = owner.toLowerCase(Locale.ROOT);
        if (type == null || !type.matches("[A-Z][A-Z0-9]*")) {
            throw new IllegalArgumentException("type '" + type + "' must be an upper-case mnemonic such as MX or TLSA");
        }
        if (ttl < 0 || ttl > 2_147_483_647L) {
            throw new IllegalArgumentException("TTL " + ttl + " is outside 0..2147483647 (RFC 2181 section 8)");
        }
        if (rdata == null || rdata.isEmpty()) {
            throw new IllegalArgumentException("a record set has at least one record; absence is no record set");
        }
        List<String> sorted = new ArrayList<>(rdata);
        sorted.sort(null);
        rdata = List.copyOf(sorted);
    }

    /** The same records, whatever the TTL and the case of names: what "already in place" compares. */
    public boolean sameAs(RrSet other) {
        return other != null && owner.equals(other.owner) && type.equals(other.type) && ttl == other.ttl
                && normalised().equals(other.normalised());
    }

    private List<String> normalised() {
        // Names in the data of these types compare without case (RFC 4343), as do the hex digests of TLSA, DS and CDS;
        // TXT and others exactly.
        boolean names = List.of("MX", "NS", "CNAME", "PTR", "SRV", "TLSA", "DS", "CDS").contains(type);
        return rdata.stream().map(r -> names ? r.toLowerCase(Locale.ROOT) : r).sorted().toList();
    }

    @Override
    public String toString() {
        return owner + " " + ttl + " " + type + " " + rdata;
    }
}
