package dev.mxshift.connector.parent;

import java.util.List;

/**
 * What goes to the parent for a zone: the DS records (presentation rdata, e.g. {@code "12345 13 2 ABCD..."}) and, for
 * registries that take keys rather than digests (RFC 5910's keyData), the DNSKEY records they were computed from.
 */
public record DsSubmission(String zone, String parent, List<String> ds, List<String> dnskeys) {
    public DsSubmission {
        ds = List.copyOf(ds);
        dnskeys = dnskeys == null ? List.of() : List.copyOf(dnskeys);
        if (ds.isEmpty()) {
            throw new IllegalArgumentException("a DS submission for " + zone + " needs at least one DS record");
        }
    }
}
