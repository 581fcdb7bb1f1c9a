package dev.mxshift.discovery;

import dev.mxshift.discovery.dns.DnsClient;
import dev.mxshift.discovery.mtasts.MtaStsPolicyFetcher;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Looks one domain up from outside, asynchronously: the apex's records in parallel, the MX set also from one of
 * the zone's own servers when a resolver answered (its TTL is the zone's, not a cache's count-down), then per MX
 * host its addresses and TLSA, and the MTA-STS policy when the domain announces one; then lets {@link MailFlowClassifier}
 * judge. The discovery command and the discovery service both call {@link #discover(DomainName)}.
 */
public final class DomainDiscoverer {

    private final DnsClient dns;
    private final MtaStsPolicyFetcher mtaSts;
    private final DelegationProbe delegation;

    public DomainDiscoverer(DnsClient dns, MtaStsPolicyFetcher mtaSts) {
        this.dns = dns;
        this.mtaSts = mtaSts;
        this.delegation = new DelegationProbe(dns);
    }

    public CompletionStage<DiscoveryReport> discover(DomainName domain) {
        Name apex = MailFlowClassifier.name(domain);
        CompletableFuture<Lookup> soa = lookup(apex, Type.SOA);
        CompletableFuture<Lookup> mx = lookup(apex, Type.MX);
        CompletableFuture<Lookup> ns = lookup(apex, Type.NS);
        CompletableFuture<Lookup> txt = lookup(apex, Type.TXT);
        CompletableFuture<Lookup> dnskey = lookup(apex, Type.DNSKEY);
        CompletableFuture<Lookup> ds = lookup(apex, Type.DS);
        CompletableFuture<Lookup> stsTxt = lookup(child("_mta-sts", apex), Type.TXT);
        CompletableFuture<Lookup> tlsRpt = lookup(child("_smtp._tls", apex), Type.TXT);
        CompletableFuture<Lookup> zoneMx = mx.thenCombine(ns, (resolved, servers) -> dns.settings().asksZoneServers()
                        && resolved.rcode(Rcode.NOERROR) ? askZone(apex, servers) : CompletableFuture.<Lookup>completedFuture(null))
                .thenCompose(f -> f);
        CompletableFuture<Map<DomainName, DomainObservation.HostObservation>> hosts = zoneMx.thenCompose(fromZone ->
                mx.thenCompose(resolved -> hosts(DomainObservation.fromZone(fromZone) ? fromZone : resolved)));
        CompletableFuture<MtaStsPolicyFetcher.Fetch> policy = stsTxt.thenCompose(lookup -> announcesMtaSts(lookup)
                ? lookup(child("mta-sts", apex), Type.A).thenCompose(a -> mtaSts.fetch(domain, addresses(a)).toCompletableFuture())
                : CompletableFuture.completedFuture(null));
        // Only when the zone's answers fail: ask the delegation's servers what they do with it (a lame delegation, named).
        CompletableFuture<DelegationCheck> lame = CompletableFuture.allOf(soa, mx, ns).thenCompose(done ->
                MailFlowClassifier.delegationFails(mx.join(), soa.join()) ? delegation.check(apex, ns.join(), mx.join(), soa.join())
                        : CompletableFuture.completedFuture(null));
        return CompletableFuture.allOf(soa, mx, zoneMx, ns, txt, dnskey, ds, stsTxt, tlsRpt, hosts, policy, lame)
                .thenApply(done -> MailFlowClassifier.classify(new DomainObservation(domain, soa.join(), mx.join(), zoneMx.join(),
                        ns.join(), txt.join(), dnskey.join(), ds.join(), stsTxt.join(), tlsRpt.join(), hosts.join(), policy.join(),
                        lame.join())));
    }

    /**
     * The MX set from the zone's own servers: its name servers (the NS set, in name order), each's address through
     * the resolver, then one after the other until one answers with authority. The failed lookup says why, per
     * server, when none did (a firewall that lets only the resolver out, servers that are down).
     */
    private CompletableFuture<Lookup> askZone(Name apex, Lookup ns) {
        List<Name> servers = ns.records().stream().map(r -> ((NSRecord) r).getTarget()).distinct().sorted().toList();
        if (servers.isEmpty()) {
            return CompletableFuture.completedFuture(Lookup.failed("the zone's NS set was not seen (" + ns.describe() + ")"));
        }
        return askZone(apex, servers, 0, new ArrayList<>());
    }

    private CompletableFuture<Lookup> askZone(Name apex, List<Name> servers, int index, List<String> failures) {
        if (index == servers.size()) {
            return CompletableFuture.completedFuture(Lookup.failed("no server of the zone answered the MX query with"
                    + " authority: " + String.join("; ", failures)));
        }
        Name server = servers.get(index);
        return lookup(server, Type.A).thenCompose(a -> {
            List<InetAddress> addresses = addresses(a);
            if (addresses.isEmpty()) {
                failures.add(MailFlowClassifier.text(server) + " has no address (" + a.describe() + ")");
                return askZone(apex, servers, index + 1, failures);
            }
            return ask(apex, addresses, 0, server, failures).thenCompose(found -> found != null ? CompletableFuture.completedFuture(found)
                    : askZone(apex, servers, index + 1, failures));
        });
    }

    private CompletableFuture<Lookup> ask(Name apex, List<InetAddress> addresses, int index, Name server, List<String> failures) {
        if (index == addresses.size()) {
            return CompletableFuture.completedFuture(null);
        }
        InetSocketAddress address = dns.settings().zoneServer(addresses.get(index));
        return dns.queryAuthoritative(address, apex, Type.MX).toCompletableFuture().handle((answer, failure) -> {
            Lookup asked = failure == null ? Lookup.of(answer) : Lookup.failed(message(failure));
            if (DomainObservation.fromZone(asked)) {
                return CompletableFuture.completedFuture(asked);
            }
            failures.add(MailFlowClassifier.text(server) + " (" + asked.describe() + ")");
            return ask(apex, addresses, index + 1, server, failures);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Map<DomainName, DomainObservation.HostObservation>> hosts(Lookup mx) {
        Map<DomainName, CompletableFuture<DomainObservation.HostObservation>> pending = new LinkedHashMap<>();
        for (Record record : mx.records()) {
            Name target = ((MXRecord) record).getTarget();
            if (target.equals(Name.root)) {
                continue;
            }
            DomainName host;
            try {
                host = MailFlowClassifier.exchange((MXRecord) record);
            } catch (InvalidValueException e) {
                continue; // the classifier reports the unusable MX host; nothing to look up
            }
            if (!pending.containsKey(host)) {
                CompletableFuture<Lookup> a = lookup(target, Type.A);
                CompletableFuture<Lookup> aaaa = lookup(target, Type.AAAA);
                CompletableFuture<Lookup> tlsa = lookup(child("_25._tcp", target), Type.TLSA);
                pending.put(host, CompletableFuture.allOf(a, aaaa, tlsa)
                        .thenApply(done -> new DomainObservation.HostObservation(a.join(), aaaa.join(), tlsa.join())));
            }
        }
        return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<DomainName, DomainObservation.HostObservation> seen = new LinkedHashMap<>();
            pending.forEach((host, future) -> seen.put(host, future.join()));
            return seen;
        });
    }

    private CompletableFuture<Lookup> lookup(Name name, int type) {
        return dns.query(name, type).handle((answer, failure) -> failure == null ? Lookup.of(answer)
                : Lookup.failed(message(failure))).toCompletableFuture();
    }

    static String message(Throwable failure) {
        return failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException
                ? failure.getCause().getMessage() : failure.getMessage();
    }

    private static boolean announcesMtaSts(Lookup txt) {
        return txt.records().stream().anyMatch(r -> r.rdataToString().contains("v=STSv1"));
    }

    static List<InetAddress> addresses(Lookup a) {
        List<InetAddress> addresses = new ArrayList<>();
        for (Record record : a.records()) {
            addresses.add(((ARecord) record).getAddress());
        }
        return addresses;
    }

    private static Name child(String labels, Name parent) {
        return Name.fromConstantString(labels + "." + parent);
    }
}
