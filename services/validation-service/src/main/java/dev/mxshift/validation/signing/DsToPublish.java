package dev.mxshift.validation.signing;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The DS records a parent should publish for a zone's keys, and how they read to an operator. SHA-256 only: the
 * digest every validator must support (RFC 8624 section 3.3); SHA-1 is not to be published any more.
 */
public final class DsToPublish {

    /** The TTL given to a derived DS; the parent chooses its own, so this is only what the record carries here. */
    static final long TTL = 3600;

    private DsToPublish() {
    }

    /**
     * The DS of every key with the SEP flag (the key-signing keys, RFC 4034 section 2.1.1), or of every key when none
     * has it (a zone signed with a combined key that does not set SEP). Revoked keys (RFC 5011) and keys without the
     * zone-key flag never get a DS.
     */
    public static List<DSRecord> from(List<DNSKEYRecord> keys) {
        List<DNSKEYRecord> candidates = keys.stream().filter(k -> (k.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) != 0)
                .filter(k -> (k.getFlags() & DNSKEYRecord.Flags.REVOKE) == 0).toList();
        List<DNSKEYRecord> sep = candidates.stream().filter(k -> (k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0).toList();
        List<DSRecord> ds = new ArrayList<>();
        for (DNSKEYRecord key : sep.isEmpty() ? candidates : sep) {
            ds.add(new DSRecord(key.getName(), DClass.IN, TTL, DNSSEC.Digest.SHA256, key));
        }
        return ds;
    }

    public static List<DNSKEYRecord> keys(RRset set) {
        List<DNSKEYRecord> keys = new ArrayList<>();
        if (set != null) {
            set.rrs(false).forEach(r -> keys.add((DNSKEYRecord) r));
        }
        return keys;
    }

    public static List<DSRecord> records(RRset set) {
        List<DSRecord> ds = new ArrayList<>();
        if (set != null) {
            set.rrs(false).forEach(r -> ds.add((DSRecord) r));
        }
        return ds;
    }

    /**
     * The data of a set of records, compared without TTL or order: what "the same DS set" or "the same key set" means.
     * dnsjava prints a digest in upper-case hex whatever case it was read in; a key's base64 is case-sensitive.
     */
    static Set<String> rdata(List<? extends Record> records) {
        Set<String> data = new TreeSet<>();
        records.forEach(r -> data.add(r.rdataToString()));
        return data;
    }

    /** "12345 13 2 ABCD…" for each DS, as a registrar's form asks for it (key tag, algorithm, digest type, digest). */
    public static String describe(List<DSRecord> ds) {
        return ds.isEmpty() ? "none" : String.join(", ", ds.stream().map(Record::rdataToString).toList());
    }

    static String tags(List<DNSKEYRecord> keys) {
        return keys.stream().map(k -> String.valueOf(k.getFootprint())).toList().toString();
    }
}
