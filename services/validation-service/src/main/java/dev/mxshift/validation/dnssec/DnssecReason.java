package dev.mxshift.validation.dnssec;

/** Why an answer is not secure, as a code for scripts; the validator's sentence goes with it. */
public enum DnssecReason {
    /** Secure: nothing to explain. */
    NONE,
    /** The parent proves there is no DS: the zone is unsigned or not yet linked in (insecure, not broken). */
    NO_DS,
    /** A DS exists at the parent but matches no DNSKEY of the zone (RFC 4035 section 5.2). */
    DS_MATCHES_NO_KEY,
    /** An RRset that must be signed has no RRSIG (RFC 4035 section 5.3). */
    MISSING_SIGNATURE,
    /** Every signature's validity period ended (RFC 4034 section 3.1.5). */
    SIGNATURE_EXPIRED,
    SIGNATURE_NOT_YET_VALID,
    /** A signature does not verify with the key it names. */
    SIGNATURE_INVALID,
    /** The zone is signed only with algorithms the validator does not implement (RFC 4035 section 5.2: insecure). */
    UNSUPPORTED_ALGORITHM,
    /** No trust anchor covers the name. */
    NO_TRUST_ANCHOR,
    /** The upstream resolver failed (SERVFAIL, no answer) even without validation: not a DNSSEC verdict. */
    UPSTREAM_FAILURE,
    /** Bogus for a reason the diagnosis could not pin down; the validator's sentence says what it saw. */
    OTHER
}
