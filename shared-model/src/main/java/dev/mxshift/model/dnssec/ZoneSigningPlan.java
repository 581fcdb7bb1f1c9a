package dev.mxshift.model.dnssec;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;

/**
 * The preflight's decision for a zone under the {@code sign} policy: what to do, at which parent, by which path. The
 * plan generator turns it into the plan's DNSSEC steps.
 *
 * @param algorithm the DNSSEC algorithm number to sign with: 13 (ECDSA P-256 SHA-256) by default, RFC 8624
 * @param denial    NSEC, or NSEC3 with 0 extra iterations and an empty salt (RFC 9276)
 */
public record ZoneSigningPlan(SigningMode mode, DomainName zone, DomainName parent, ParentPath path, int algorithm, String denial) {

    public static final int ECDSA_P256_SHA256 = 13;
    public static final int ED25519 = 15;

    public ZoneSigningPlan {
        if (mode == null || zone == null || parent == null || path == null) {
            throw new InvalidValueException("zone signing plan", null, "mode, zone, parent and path are all required");
        }
        if (algorithm != ECDSA_P256_SHA256 && algorithm != ED25519) {
            throw new InvalidValueException("zone signing plan algorithm", String.valueOf(algorithm),
                    "must be 13 (ECDSA P-256, the default) or 15 (Ed25519); RFC 8624 advises against RSA/SHA-1");
        }
        if (!"NSEC".equals(denial) && !"NSEC3".equals(denial)) {
            throw new InvalidValueException("zone signing plan denial", denial, "must be NSEC or NSEC3 (0 extra iterations, empty salt)");
        }
    }

    /** Sign with the defaults: ECDSA P-256 and NSEC. */
    public static ZoneSigningPlan sign(DomainName zone, DomainName parent, ParentPath path) {
        return new ZoneSigningPlan(SigningMode.SIGN, zone, parent, path, ECDSA_P256_SHA256, "NSEC");
    }

    public static ZoneSigningPlan chain(DomainName zone, DomainName parent, ParentPath path) {
        return new ZoneSigningPlan(SigningMode.CHAIN, zone, parent, path, ECDSA_P256_SHA256, "NSEC");
    }
}
