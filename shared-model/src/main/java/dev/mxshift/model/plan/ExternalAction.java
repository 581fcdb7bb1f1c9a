package dev.mxshift.model.plan;

/** Microsoft-side actions of the procedure; each names the cmdlet an operator runs and its inverse. */
public enum ExternalAction {
    ENABLE_DNSSEC_FOR_VERIFIED_DOMAIN("Enable-DnssecForVerifiedDomain"),
    DISABLE_DNSSEC_FOR_VERIFIED_DOMAIN("Disable-DnssecForVerifiedDomain"),
    ENABLE_SMTP_DANE_INBOUND("Enable-SmtpDaneInbound"),
    DISABLE_SMTP_DANE_INBOUND("Disable-SmtpDaneInbound");

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
        };
    }
}
