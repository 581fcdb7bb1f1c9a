package dev.mxshift.model.plan;

/**
 * Actions outside the DNS provider that a person (or, later, a connector) does and confirms: Microsoft's cmdlets,
 * and publishing an MTA-STS policy on the domain's own HTTPS host. Each names what to run and its inverse.
 */
public enum ExternalAction {
    ENABLE_DNSSEC_FOR_VERIFIED_DOMAIN("Enable-DnssecForVerifiedDomain"),
    DISABLE_DNSSEC_FOR_VERIFIED_DOMAIN("Disable-DnssecForVerifiedDomain"),
    ENABLE_SMTP_DANE_INBOUND("Enable-SmtpDaneInbound"),
    DISABLE_SMTP_DANE_INBOUND("Disable-SmtpDaneInbound"),
    /** Serve the step's policy text at https://mta-sts.DOMAIN/.well-known/mta-sts.txt (RFC 8461 section 3.3). */
    PUBLISH_MTA_STS_POLICY("publish the MTA-STS policy"),
    /** Serve the previous policy text again. */
    RESTORE_MTA_STS_POLICY("restore the previous MTA-STS policy"),
    /** Submit the zone's DS (and DNSKEY, where the registry wants it) at the registrar: the manual parent path. */
    SUBMIT_DS_AT_REGISTRAR("submit the DS at the registrar"),
    /** Remove the zone's DS at the registrar: the manual path's undoing, before signing may stop. */
    REMOVE_DS_AT_REGISTRAR("remove the DS at the registrar");

    private final String cmdlet;

    ExternalAction(String cmdlet) {
        this.cmdlet = cmdlet;
    }

    public String cmdlet() {
        return cmdlet;
    }

    public ExternalAction inverse() {
        return switch (this) {
            case ENABLE_DNSSEC_FOR_VERIFIED_DOMAIN -> DISABLE_DNSSEC_FOR_VERIFIED_DOMAIN;
            case DISABLE_DNSSEC_FOR_VERIFIED_DOMAIN -> ENABLE_DNSSEC_FOR_VERIFIED_DOMAIN;
            case ENABLE_SMTP_DANE_INBOUND -> DISABLE_SMTP_DANE_INBOUND;
            case DISABLE_SMTP_DANE_INBOUND -> ENABLE_SMTP_DANE_INBOUND;
            case PUBLISH_MTA_STS_POLICY -> RESTORE_MTA_STS_POLICY;
            case RESTORE_MTA_STS_POLICY -> PUBLISH_MTA_STS_POLICY;
            case SUBMIT_DS_AT_REGISTRAR -> REMOVE_DS_AT_REGISTRAR;
            case REMOVE_DS_AT_REGISTRAR -> SUBMIT_DS_AT_REGISTRAR;
        };
    }
}
