package dev.mxshift.model.dnssec;

import dev.mxshift.model.dns.EnumWords;

/**
 * How a DS reaches the parent zone: the parent is a registry reached through a registrar, not the hoster's DNS
 * provider, so this is a channel of its own beside the DNS connector.
 */
public enum ParentPath {
    /** The child publishes CDS and CDNSKEY (RFC 7344, RFC 8078) and the registry's scanner takes them. */
    CDS("cds"),
    /** An operator submits the DS at the registrar and confirms; mxshift then checks the parent, trusting nothing. */
    MANUAL("manual"),
    /** The hoster's own registrar system, through mxshift's JSON contract. */
    WEBHOOK("webhook"),
    /** mxshift speaks EPP to the registry itself (RFC 5730/5731 with secDNS-1.1, RFC 5910), as a registrar-hoster does. */
    EPP("epp");

    private final String word;

    ParentPath(String word) {
        this.word = word;
    }

    /** As configuration and reports spell it. */
    public String word() {
        return word;
    }

    /** The path a person named: its word (cds) or its name (CDS), any case. */
    public static ParentPath parse(String text) {
        return EnumWords.parse(values(), ParentPath::word, "parent path", text);
    }
}
