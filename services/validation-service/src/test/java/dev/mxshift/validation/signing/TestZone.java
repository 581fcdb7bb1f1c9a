package dev.mxshift.validation.signing;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A zone signed in the test with dnsjava and generated EC P-256 keys (algorithm 13), to build facts from. */
final class TestZone {

    static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");

    /** One zone key: its DNSKEY record and the private key that signs with it. */
    record Key(DNSKEYRecord dnskey, KeyPair pair) {
        DSRecord ds() {
            return new DSRecord(dnskey.getName(), DClass.IN, 3600, DNSSEC.Digest.SHA256, dnskey);
        }
    }

    final Name origin;

    TestZone(String origin) {
        this.origin = name(origin);
    }

    static Name name(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** flags 257 for a key-signing key (SEP), 256 for a zone-signing key. */
    Key key(int flags) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return new Key(new DNSKEYRecord(origin, DClass.IN, 3600, flags, DNSKEYRecord.Protocol.DNSSEC,
                    DNSSEC.Algorithm.ECDSAP256SHA256, pair.getPublic()), pair);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    RRset set(int type, long ttl, String... rdata) {
        RRset set = new RRset();
        for (String data : rdata) {
            try {
                set.addRR(Record.fromString(origin, type, DClass.IN, ttl, data, origin));
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return set;
    }

    RRset soa() {
        return set(Type.SOA, 3600, "ns1.lab-dns.net. hostmaster.lab-dns.net. 1 3600 600 604800 300");
    }

    RRset ns() {
        return set(Type.NS, 3600, "ns1.lab-dns.net.", "bind.lab-dns.net.");
    }

    RRset mx(long ttl) {
        return set(Type.MX, ttl, "0 " + origin.toString(true).replace('.', '-') + ".mail.protection.outlook.com.");
    }

    RRset keys(Key... keys) {
        RRset set = new RRset();
        for (Key key : keys) {
            set.addRR(key.dnskey());
        }
        return set;
    }

    /** The set with a signature by each key, valid from a day before {@link #NOW} to a week after. */
    static RRset signed(RRset set, Key... keys) {
        return signed(set, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(7)), keys);
    }

    static RRset signed(RRset set, Instant inception, Instant expiration, Key... keys) {
        RRset copy = new RRset();
        set.rrs(false).forEach(copy::addRR);
        for (Key key : keys) {
            try {
                copy.addRR(DNSSEC.sign(set, key.dnskey(), key.pair().getPrivate(), inception, expiration));
            } catch (DNSSEC.DNSSECException e) {
                throw new IllegalStateException(e);
            }
        }
        return copy;
    }

    /** The set with another set's signatures: they cannot verify over this data. */
    static RRset withSignaturesOf(RRset set, RRset signedOther) {
        RRset copy = new RRset();
        set.rrs(false).forEach(copy::addRR);
        List<RRSIGRecord> sigs = new ArrayList<>(signedOther.sigs());
        sigs.forEach(copy::addRR);
        return copy;
    }
}
