package dev.mxshift.connector;

import java.util.List;

/**
 * What the provider says of a zone's DNSSEC.
 *
 * @param zone   the zone (no trailing dot)
 * @param signed whether the provider signs the zone
 * @param keys   its signing keys (empty when unsigned)
 * @param ds     the DS records to publish at the parent, presentation rdata {@code "tag alg 2 HEX"}: digest type 2
 *               (SHA-256, RFC 4509), one for every key with the SEP flag, or for every key when none has it
 * @param cds    which CDS form the zone publishes
 */
public record ZoneSigning(String zone, boolean signed, List<SigningKey> keys, List<String> ds, CdsMode cds) {

    public ZoneSigning {
        keys = List.copyOf(keys);
        ds = List.copyOf(ds);
        if (cds == null) {
            throw new IllegalArgumentException("the CDS mode of " + zone + " is NONE, PUBLISH or DELETE, never null");
        }
    }

    /** A zone the provider does not sign. */
    public static ZoneSigning unsigned(String zone) {
        return new ZoneSigning(zone, false, List.of(), List.of(), CdsMode.NONE);
    }
}
