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

    /** The MX host's address records are not DNSSEC-secure: no TLSA is looked up (RFC 7672 section 2.2). */
    record HostInsecure(String reason) implements DaneVerdict {
    }

    /** The host is secure and provably has no TLSA (or none in a secure zone): TLS without DANE. */
    record NoTlsa(String reason) implements DaneVerdict {
    }

    /** The TLSA answer failed validation: senders that do DANE will not deliver (RFC 7672 section 2.2). */
    record TlsaBogus(String reason) implements DaneVerdict {
    }

    /** The TLSA (or address) lookup failed outright: senders that do DANE defer delivery. */
    record TlsaLookupError(String reason) implements DaneVerdict {
    }

    record Attempt(TlsaRecord record, String reason) {
    }

    /** In posttls-finger's words: verified, untrusted (TLS without DANE authentication) or lookup-error. */
    static String inPosttlsFingersWords(DaneVerdict verdict) {
        if (verdict instanceof Validated) {
            return "verified";
        }
        return verdict instanceof TlsaBogus || verdict instanceof TlsaLookupError ? "lookup-error" : "untrusted";
    }
}
