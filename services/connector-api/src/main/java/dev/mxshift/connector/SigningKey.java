package dev.mxshift.connector;

/**
 * A zone's signing key as the provider holds it.
 *
 * @param keyTag    the key tag (RFC 4034 appendix B)
 * @param algorithm the DNSSEC algorithm number (13: ECDSA P-256 with SHA-256)
 * @param flags     the DNSKEY flags (257: a key with the SEP bit, as a KSK or CSK; 256: a ZSK)
 * @param dnskey    the DNSKEY rdata in presentation form ({@code 257 3 13 <base64>})
 */
public record SigningKey(int keyTag, int algorithm, int flags, String dnskey) {

    /** The Secure Entry Point bit (RFC 4034 section 2.1.1): a DS at the parent points at such a key. */
    public static final int SEP = 1;

    public boolean sep() {
        return (flags & SEP) != 0;
    }
}
