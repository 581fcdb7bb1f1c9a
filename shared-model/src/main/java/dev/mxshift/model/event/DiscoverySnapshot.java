package dev.mxshift.model.event;

import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.RecordSet;

import java.util.List;

/**
 * What discovery saw for one domain: the classification with a reason a person can act on, the MX set
 * (null when there is none that could be planned), every other RRset looked at, which servers answered,
 * whether DNSSEC material was present, and the domain's MTA-STS (null when it publishes none). Schema v2 added
 * {@code mtaSts}.
 */
public record DiscoverySnapshot(MxClassification classification, String reason, MxRecordSet mx,
                                List<RecordSet> records, List<String> answeredBy,
                                boolean dnskeyAtApex, boolean dsAtParent, MtaStsSnapshot mtaSts) {
    public DiscoverySnapshot {
        Checks.required(classification, "DiscoverySnapshot", "classification");
        Checks.text(reason, "DiscoverySnapshot", "reason");
        records = Checks.list(records);
        answeredBy = Checks.list(answeredBy);
        if (classification.eligible() && (mx == null || mx.isEmpty())) {
            throw new IllegalArgumentException("an eligible domain must have the MX set it was classified by");
        }
    }

    /** A snapshot of a domain without MTA-STS. */
    public DiscoverySnapshot(MxClassification classification, String reason, MxRecordSet mx, List<RecordSet> records,
                             List<String> answeredBy, boolean dnskeyAtApex, boolean dsAtParent) {
        this(classification, reason, mx, records, answeredBy, dnskeyAtApex, dsAtParent, null);
    }
}
