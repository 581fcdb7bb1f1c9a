package dev.mxshift.model.plan;

/** Why a step is in a plan; the names follow Microsoft's documented procedure and its rollback. */
public enum StepPurpose {
    UPDATE_MTA_STS_POLICY,
    LOWER_MX_TTL,
    WAIT_OLD_TTL,
    ADD_NEW_MX,
    PROMOTE_NEW_MX,
    REMOVE_LEGACY_MX,
    RESTORE_MX_TTL,
    ENABLE_SMTP_DANE_INBOUND,
    VERIFY_DANE,
    /** A step of a rollback plan: the inverse of the forward step it names in its description. */
    ROLLBACK
}
