package dev.mxshift.lab;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * An ECDSA P-256 signing key (DNSSEC algorithm 13) used as a combined signing key (flags 257).
 * The lab's PowerDNS zones share one key: validators only care that each DS matches its zone's DNSKEY, and the
 * DS digest covers the owner name, so every zone still has its own DS.
 */
public record DnssecKey(KeyPair pair) {

    public static final int CSK_FLAGS = 257;

    public static DnssecKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new DnssecKey(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256 key generator", e);
        }
    }

    public DNSKEYRecord dnskey(Name zone, long ttl) {
        try {
            return new DNSKEYRecord(zone, DClass.IN, ttl, CSK_FLAGS, DNSKEYRecord.Protocol.DNSSEC,
                    DNSSEC.Algorithm.ECDSAP256SHA256, pair.getPublic());
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot encode the lab's DNSKEY", e);
        }
    }

    /** The DS a parent publishes for {@code zone} (SHA-256 digest, RFC 4509). */
    public DSRecord ds(Name zone, long ttl) {
        return new DSRecord(zone, DClass.IN, ttl, DNSSEC.Digest.SHA256, dnskey(zone, ttl));
    }

    /** The private key in the BIND "Private-key-format v1.2" text that PowerDNS keeps in its cryptokeys table. */
    public String powerDnsPrivateKey() {
        BigInteger s = ((ECPrivateKey) pair.getPrivate()).getS();
        byte[] raw = s.toByteArray();
        byte[] scalar = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, scalar, 32 - copy, copy);
        String text = "Private-key-format: v1.2\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: "
                + Base64.getEncoder().encodeToString(scalar) + "\n";
        Arrays.fill(scalar, (byte) 0);
        return text;
    }
}
