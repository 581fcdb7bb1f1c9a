package dev.mxshift.discovery;

import dev.mxshift.discovery.mtasts.MtaStsPolicyFetcher;
import dev.mxshift.model.dns.DomainName;

import java.util.Map;

/**
 * Everything discovery asked about one domain, before any judgement: the apex's SOA, MX, NS, TXT (for SPF),
 * DNSKEY, the DS at the parent, the {@code _mta-sts} and {@code _smtp._tls} TXT, per MX host its addresses and
 * TLSA, and the MTA-STS policy fetch (null when no {@code _mta-sts} record asked for one).
 * {@code zoneMx} is the MX set as one of the zone's own servers serves it, asked beside a resolver (null where
 * every answer came from the authoritative servers already, or the resolver's MX answer was not NOERROR).
 * {@code delegation} is what the delegation's name servers did when asked for the zone, gathered only when the MX
 * and SOA lookups show the delegation failing (null otherwise).
 */
public record DomainObservation(DomainName domain, Lookup soa, Lookup mx, Lookup zoneMx, Lookup ns, Lookup apexTxt,
                                Lookup dnskey, Lookup ds, Lookup mtaStsTxt, Lookup tlsRptTxt,
                                Map<DomainName, HostObservation> hosts, MtaStsPolicyFetcher.Fetch mtaStsPolicy,
                                DelegationCheck delegation) {

    public DomainObservation {
        hosts = Map.copyOf(hosts);
    }

    public DomainObservation(DomainName domain, Lookup soa, Lookup mx, Lookup zoneMx, Lookup ns, Lookup apexTxt,
                             Lookup dnskey, Lookup ds, Lookup mtaStsTxt, Lookup tlsRptTxt,
                             Map<DomainName, HostObservation> hosts, MtaStsPolicyFetcher.Fetch mtaStsPolicy) {
        this(domain, soa, mx, zoneMx, ns, apexTxt, dnskey, ds, mtaStsTxt, tlsRptTxt, hosts, mtaStsPolicy, null);
    }

    /**
     * The MX answer the zone publishes: its own server's when one answered with authority, else the resolver's.
     * A resolver answers from its cache with the TTL counted down and, until that runs out, an edited set's old
     * records; a plan's expected-before set must be what the provider holds.
     */
    public Lookup publishedMx() {
        return fromZone(zoneMx) ? zoneMx : mx;
    }

    /** Whether the MX answer came from a server of the zone (the resolver's otherwise). */
    public static boolean fromZone(Lookup zoneMx) {
        return zoneMx != null && zoneMx.answered() && zoneMx.answer().authoritative() && zoneMx.answer().noError();
    }

    /** What was asked about one MX exchange host: A, AAAA and the TLSA at {@code _25._tcp.<host>} (RFC 7672 2.2.1). */
    public record HostObservation(Lookup a, Lookup aaaa, Lookup tlsa) {
    }
}
