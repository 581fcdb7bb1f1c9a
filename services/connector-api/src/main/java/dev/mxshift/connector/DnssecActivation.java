package dev.mxshift.connector;

import java.util.List;

/** A zone's DNSSEC was switched on: the DS records (presentation form) to publish at the parent. */
public record DnssecActivation(String zone, List<String> ds) {
    public DnssecActivation {
        ds = List.copyOf(ds);
    }
}
