package dev.mxshift.model.plan;

/** Why a step is in a plan; the names follow Microsoft's documented procedure and its rollback. */
public enum StepPurpose {
    /** The DNSSEC stage (issue 28): sign the zone, or verify a zone its provider signed, then chain it to its parent. */
    SIGN_ZONE,
    VERIFY_ZONE_SIGNED,
    /** The keys served long enough that no resolver still holds a "no DNSKEY" answer before the DS is published. */
    WAIT_KEY_CACHES,
    PUBLISH_DS,
    UPDATE_MTA_STS_POLICY,
    LOWER_MX_TTL,
    WAIT_OLD_TTL,
    ADD_NEW_MX,
    PROMOTE_NEW_MX,
    REMOVE_LEGACY_MX,
    RESTORE_MX_TTL,
    ENABLE_SMTP_DANE_INBOUND,
    VERIFY_DANE,
    /** Undoing the DNSSEC stage (only when asked): withdraw the DS, wait out every cache that may hold it, stop signing. */
    WITHDRAW_DS,
    WAIT_DS_CACHES,
    UNSIGN_ZONE,
    /**
     * After the move: a record the zone sweep found still aliasing the domain's legacy host, aliased to its mx.microsoft
     * host instead (issue 29 item 3, decision 0036); approved by the fix plan's own checksum.
     */
    FIX_LEGACY_REFERENCE,
    /** A step of a rollback plan: the inverse of the forward step it names in its description. */
    ROLLBACK
}
