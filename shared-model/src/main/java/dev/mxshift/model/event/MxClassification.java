package dev.mxshift.model.event;

/** What discovery found a domain's mail flow to be; only one kind is eligible for migration. */
public enum MxClassification {
    /** A single MX (or several) at Exchange Online's legacy targets and nothing else: eligible. */
    LEGACY_EXCHANGE_ONLINE,
    /** Already at a DANE-capable mx.microsoft target. */
    ALREADY_MIGRATED,
    /** MX at a filtering service in front of Exchange Online: the gateway's smart host changes, not the MX. */
    THIRD_PARTY_GATEWAY,
    /** A legacy MX plus a fallback or secondary MX elsewhere: Microsoft's procedure needs a single MX. */
    LEGACY_WITH_FALLBACK,
    /** RFC 7505 null MX: the domain accepts no mail. */
    NULL_MX,
    NO_MX,
    /** An MX exchange that is a CNAME, which RFC 2181 section 10.3 forbids. */
    MX_IS_CNAME,
    NXDOMAIN,
    LAME_DELEGATION,
    OTHER;

    public boolean eligible() {
        return this == LEGACY_EXCHANGE_ONLINE;
    }
}
