package dev.mxshift.model.dnssec;

/** Where the zone's DS stands at the parent, as the workflow knows it. */
public enum DsStatus {
    /** mxshift has not submitted one (the zone may be unsigned, or signed without a DS). */
    NONE,
    /** Submitted (CDS published, sent to the registrar system, or confirmed by an operator); not yet seen everywhere. */
    SUBMITTED,
    /** Every parent server serves exactly the DS and the validating resolver answers the zone SECURE. */
    CHAINED,
    /** Its withdrawal was asked; the parent may still serve it. */
    WITHDRAWING,
    /** No parent server serves a DS for the zone any more. Caches may still hold it until its TTL runs out. */
    GONE
}
