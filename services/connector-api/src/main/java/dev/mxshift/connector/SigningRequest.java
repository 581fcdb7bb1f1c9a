package dev.mxshift.connector;

/**
 * How a zone is to be signed.
 *
 * @param algorithm the DNSSEC algorithm number: 13 (ECDSA P-256 SHA-256) by default, 15 (Ed25519) where the provider
 *                  has it; RFC 8624 section 3.1 advises against RSA/SHA-1
 * @param denial    NSEC or NSEC3 (0 iterations, empty salt)
 */
public record SigningRequest(int algorithm, Denial denial) {

    public SigningRequest {
        if (denial == null) {
            throw new IllegalArgumentException("a signing request names its denial of existence (NSEC or NSEC3)");
        }
    }

    /** ECDSA P-256 with SHA-256 and NSEC (RFC 8624): what every provider here signs with. */
    public static SigningRequest defaults() {
        return new SigningRequest(13, Denial.NSEC);
    }
}
