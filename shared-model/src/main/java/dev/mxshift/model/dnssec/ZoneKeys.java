package dev.mxshift.model.dnssec;

import dev.mxshift.model.dns.InvalidValueException;

import java.util.List;

/**
 * A zone's signing keys as a step saw them: the key tags, the DS to publish (presentation rdata, digest type 2), and
 * the TTLs invariant 6's wait needs before signing may stop.
 *
 * @param largestSignatureTtl the largest TTL among the zone's signatures seen from outside, in seconds (0: not known yet)
 * @param dsTtl               the TTL of the DS the parent's servers serve, in seconds (0: not seen yet)
 */
public record ZoneKeys(List<Integer> keyTags, List<String> ds, long largestSignatureTtl, long dsTtl) {

    public ZoneKeys {
        keyTags = keyTags == null ? List.of() : List.copyOf(keyTags);
        ds = ds == null ? List.of() : ds.stream().map(ZoneKeys::normalised).toList();
        if (keyTags.isEmpty()) {
            throw new InvalidValueException("zone keys", null, "name at least one key tag");
        }
        if (ds.isEmpty()) {
            throw new InvalidValueException("zone keys", keyTags.toString(), "name the DS to publish for the keys");
        }
        if (largestSignatureTtl < 0 || dsTtl < 0) {
            throw new InvalidValueException("zone keys", largestSignatureTtl + "/" + dsTtl, "TTLs cannot be negative");
        }
    }

    public ZoneKeys(List<Integer> keyTags, List<String> ds) {
        this(keyTags, ds, 0, 0);
    }

    /** The same keys with what a later step saw (a TTL not known there stays what was known). */
    public ZoneKeys seen(ZoneKeys later) {
        return new ZoneKeys(keyTags, ds, later.largestSignatureTtl > 0 ? later.largestSignatureTtl : largestSignatureTtl,
                later.dsTtl > 0 ? later.dsTtl : dsTtl);
    }

    /** The same DS set, whatever the order and spacing. */
    public boolean sameDs(ZoneKeys other) {
        return other != null && new java.util.TreeSet<>(ds).equals(new java.util.TreeSet<>(other.ds));
    }

    /** One DS in the form every comparison uses: single spaces, the digest in upper case. */
    public static String normalised(String ds) {
        return ds.strip().replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT);
    }

    public boolean sameKeys(ZoneKeys other) {
        return other != null && new java.util.TreeSet<>(keyTags).equals(new java.util.TreeSet<>(other.keyTags));
    }
}
