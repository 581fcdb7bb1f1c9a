package dev.mxshift.model.dns;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The MX RRset of one owner name: the records and their shared TTL (RFC 2181 section 5.2: one TTL per RRset).
 * Records are kept sorted so that two equal sets compare equal and render byte for byte the same.
 * An empty set means "no MX": it can be observed, but invariant 1 forbids any step from producing it.
 */
public record MxRecordSet(DomainName owner, long ttl, List<MxRecord> records) {

    /** RFC 2181 section 8: TTLs are unsigned 31-bit values. */
    public static final long MAX_TTL = 2_147_483_647L;

    public MxRecordSet {
        if (owner == null) {
            throw new InvalidValueException("MX owner", null, "is required");
        }
        if (ttl < 0 || ttl > MAX_TTL) {
            throw new InvalidValueException("MX TTL", String.valueOf(ttl), "must be between 0 and " + MAX_TTL + " seconds (RFC 2181 section 8)");
        }
        if (records == null) {
            throw new InvalidValueException("MX records", null, "are required (use an empty list for no MX)");
        }
        List<MxRecord> sorted = new ArrayList<>(records);
        sorted.sort(null);
        Set<MxRecord> seen = new HashSet<>();
        for (MxRecord record : sorted) {
            if (!seen.add(record)) {
                throw new InvalidValueException("MX records", record.rdata(), "appears twice; an RRset holds each record once (RFC 2181 section 5)");
            }
        }
        records = List.copyOf(sorted);
    }

    public static MxRecordSet of(DomainName owner, long ttl, MxRecord... records) {
        return new MxRecordSet(owner, ttl, List.of(records));
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    public boolean hasLegacyHost() {
        return any(r -> r.kind() == MxHostKind.LEGACY_EXCHANGE_ONLINE);
    }

    public Set<DomainName> hosts() {
        Set<DomainName> hosts = new java.util.TreeSet<>();
        records.forEach(r -> hosts.add(r.exchange()));
        return hosts;
    }

    public MxRecordSet withTtl(long newTtl) {
        return new MxRecordSet(owner, newTtl, records);
    }

    public MxRecordSet withRecords(List<MxRecord> newRecords) {
        return new MxRecordSet(owner, ttl, newRecords);
    }

    /** The same set in the generic form used for any record type. */
    public RecordSet toRecordSet() {
        return new RecordSet(owner.value(), "MX", ttl, records.stream().map(MxRecord::rdata).toList());
    }

    private boolean any(Predicate<MxRecord> test) {
        return records.stream().anyMatch(test);
    }

    @Override
    public String toString() {
        return owner + " " + ttl + " MX " + records;
    }
}
