package dev.mxshift.model.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Any RRset, in presentation form: owner, type mnemonic, TTL and the record data of each record.
 * Owner names may hold service labels such as {@code _25._tcp} or {@code _mta-sts}, which host names may not.
 * The data strings are sorted, because an RRset is a set (RFC 2181 section 5).
 */
public record RecordSet(String owner, String type, long ttl, List<String> rdata) {

    /** A label as DNS holds it (a hyphen at either end included: DNS serves it, decision 0005's addendum), or a wildcard. */
    private static final Pattern OWNER_LABEL = Pattern.compile("[a-z0-9_-]{1,63}|\\*");
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9]*|TYPE[0-9]+");

    public RecordSet {
        checkOwner(owner);
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new InvalidValueException("record type", type, "must be an upper-case mnemonic such as MX, TXT, TLSA or TYPE65534");
        }
        if (ttl < 0 || ttl > MxRecordSet.MAX_TTL) {
            throw new InvalidValueException("TTL", String.valueOf(ttl), "must be between 0 and " + MxRecordSet.MAX_TTL + " seconds (RFC 2181 section 8)");
        }
        if (rdata == null || rdata.isEmpty()) {
            throw new InvalidValueException("record data", null, "an RRset has at least one record; model absence as no RRset");
        }
        List<String> sorted = new ArrayList<>(rdata);
        for (String data : sorted) {
            if (data == null || data.isBlank()) {
                throw new InvalidValueException("record data", data, "is empty");
            }
        }
        sorted.sort(null);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).equals(sorted.get(i - 1))) {
                throw new InvalidValueException("record data", sorted.get(i), "appears twice; an RRset holds each record once (RFC 2181 section 5)");
            }
        }
        rdata = List.copyOf(sorted);
    }

    private static void checkOwner(String owner) {
        if (owner == null || owner.isEmpty()) {
            throw new InvalidValueException("owner name", owner, "is empty");
        }
        if (!owner.equals(owner.toLowerCase(Locale.ROOT)) || owner.endsWith(".")) {
            throw new InvalidValueException("owner name", owner, "must be lower case without the trailing dot");
        }
        if (owner.length() > DomainName.MAX_LENGTH) {
            throw new InvalidValueException("owner name", owner, "is longer than " + DomainName.MAX_LENGTH + " characters");
        }
        for (String label : owner.split("\\.", -1)) {
            if (!OWNER_LABEL.matcher(label).matches()) {
                throw new InvalidValueException("owner name", owner, "label '" + label + "' is empty, too long or has characters other than a-z 0-9 - _");
            }
        }
    }

    @Override
    public String toString() {
        return owner + " " + ttl + " " + type + " " + rdata;
    }
}
