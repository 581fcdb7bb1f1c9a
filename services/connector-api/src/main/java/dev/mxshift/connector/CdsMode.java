package dev.mxshift.connector;

/** Which CDS/CDNSKEY records a signed zone publishes for its parent to scan (RFC 7344, RFC 8078). */
public enum CdsMode {
    /** Neither CDS nor CDNSKEY. */
    NONE,
    /** CDS and CDNSKEY for the zone's keys: the parent may take them as its DS. */
    PUBLISH,
    /** The delete form of RFC 8078 section 4: CDS {@code 0 0 0 00} and CDNSKEY {@code 0 3 0 AA==}, asking the parent to drop the DS. */
    DELETE
}
