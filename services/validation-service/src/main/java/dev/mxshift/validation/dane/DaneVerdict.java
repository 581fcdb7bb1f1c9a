package dev.mxshift.validation.dane;

import dev.mxshift.model.dns.TlsaRecord;

import java.util.List;

/** What matching a server's certificate chain against its TLSA records found (RFC 7672 sections 2 and 3). */
public sealed interface DaneVerdict {

    /** A usable record matched: the connection is authenticated. */
    record Validated(TlsaRecord record, String how) implements DaneVerdict {
    }

    /** Usable records exist but none matched; each one tried, with why it did not. */
    record Failed(List<Attempt> attempts) implements DaneVerdict {
    }

    /** TLSA records exist, but only unusable ones (RFC 7672 section 3.1.3): TLS stays mandatory, unauthenticated. */
    record NoUsableTlsa(List<TlsaRecord> unusable) implements DaneVerdict {
    }

    record Attempt(TlsaRecord record, String reason) {
    }
}
