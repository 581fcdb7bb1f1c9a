package dev.mxshift.connector;

/**
 * Denial of existence in a signed zone: NSEC, or NSEC3 with 0 extra iterations and an empty salt, as RFC 9276
 * section 3.1 asks (more iterations cost resolvers and buy nothing).
 */
public enum Denial {
    NSEC,
    NSEC3
}
