package dev.mxshift.validation.signing;

import java.util.Locale;

/** How a DS reaches a parent zone (mail-facts.md, "DNSSEC onboarding"). */
public enum DsPath {
    /** The parent scans the child's CDS/CDNSKEY (RFC 7344, RFC 8078, RFC 9615). */
    CDS,
    /** A person submits it at the registrar; mxshift says what to submit and waits to see it. */
    MANUAL,
    /** mxshift hands it to a registrar integration over a webhook. */
    WEBHOOK;

    /** From configuration: {@code cds}, {@code manual} or {@code webhook}, in any case. */
    public static DsPath parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DS path '" + text + "' is not one of cds, manual, webhook", e);
        }
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
