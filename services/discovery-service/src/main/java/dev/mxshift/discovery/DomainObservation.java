package dev.mxshift.discovery;

import dev.mxshift.discovery.mtasts.MtaStsPolicyFetcher;
import dev.mxshift.model.dns.DomainName;

import java.util.Map;

/**
 * Everything discovery asked about one domain, before any judgement: the apex's SOA, MX, NS, TXT (for SPF),
 * DNSKEY, the DS at the parent, the {@code _mta-sts} and {@code _smtp._tls} TXT, per MX host its addresses and
 * TLSA, and the MTA-STS policy fetch (null when no {@code _mta-sts} record asked for one).
 */
public record DomainObservation(DomainName domain, Lookup soa, Lookup mx, Lookup ns, Lookup apexTxt, Lookup dnskey,
                                Lookup ds, Lookup mtaStsTxt, Lookup tlsRptTxt, Map<DomainName, HostObservation> hosts,
                                MtaStsPolicyFetcher.Fetch mtaStsPolicy) {

    public DomainObservation {
        hosts = Map.copyOf(hosts);
    }

    /** What was asked about one MX exchange host: A, AAAA and the TLSA at {@code _25._tcp.<host>} (RFC 7672 2.2.1). */
    public record HostObservation(Lookup a, Lookup aaaa, Lookup tlsa) {
    }
}
