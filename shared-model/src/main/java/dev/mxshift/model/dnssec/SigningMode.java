package dev.mxshift.model.dnssec;

/** What the DNSSEC stage must do for a zone that is not yet secure. */
public enum SigningMode {
    /** Unsigned: sign it at its provider, verify it from outside, then publish the DS. */
    SIGN,
    /** Already signed (by its provider) but without a DS at the parent: verify it from outside and chain it, never re-sign it. */
    CHAIN
}
