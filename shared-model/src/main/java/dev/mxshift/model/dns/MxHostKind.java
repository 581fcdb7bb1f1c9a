package dev.mxshift.model.dns;

import java.util.List;

/** What an MX exchange host is, as far as the migration is concerned (see docs: mail-facts, "Host names"). */
public enum MxHostKind {
    /** Exchange Online's legacy, unsigned targets: the ones being moved away from. */
    LEGACY_EXCHANGE_ONLINE,
    /** Exchange Online's DNSSEC-signed targets under mx.microsoft that publish TLSA: the destination. */
    DANE_EXCHANGE_ONLINE,
    /** Anything else: a third-party gateway, an on-premises server, another provider. */
    OTHER;

    public static final List<String> LEGACY_SUFFIXES =
            List.of(".mail.protection.outlook.com", ".mail.eo.outlook.com", ".mail.protection.outlook.de");
    public static final String DANE_SUFFIX = ".mx.microsoft";

    public static MxHostKind of(DomainName host) {
        for (String suffix : LEGACY_SUFFIXES) {
            if (host.endsWith(suffix)) {
                return LEGACY_EXCHANGE_ONLINE;
            }
        }
        return host.endsWith(DANE_SUFFIX) ? DANE_EXCHANGE_ONLINE : OTHER;
    }
}
