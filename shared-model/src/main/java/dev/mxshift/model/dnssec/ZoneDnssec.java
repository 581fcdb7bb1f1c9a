package dev.mxshift.model.dnssec;

/**
 * The DNSSEC stage's progress for the domain's zone, carried in the state.
 *
 * @param keys         the zone's keys and DS as last recorded (the provider's word after signing, then what was seen
 *                     from outside); null before the stage recorded any
 * @param keysVerified every authoritative server was seen serving these keys with valid signatures (invariant 6: only
 *                     then may the DS be published)
 * @param ds           where the DS stands at the parent
 * @param signedByMxshift mxshift signed the zone (not merely chained a zone someone else had signed)
 */
public record ZoneDnssec(ZoneKeys keys, boolean keysVerified, DsStatus ds, boolean signedByMxshift) {

    public ZoneDnssec {
        ds = ds == null ? DsStatus.NONE : ds;
    }

    public static ZoneDnssec none() {
        return new ZoneDnssec(null, false, DsStatus.NONE, false);
    }
}
