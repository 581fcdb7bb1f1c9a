package dev.mxshift.discovery;

import dev.mxshift.discovery.dns.DnsClient;
import dev.mxshift.discovery.mtasts.MtaStsPolicyFetcher;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Looks one domain up from outside, asynchronously: the apex's records in parallel, then per MX host its
 * addresses and TLSA, and the MTA-STS policy when the domain announces one; then lets {@link MailFlowClassifier}
 * judge. The discovery command and the discovery service both call {@link #discover(DomainName)}.
 */
public final class DomainDiscoverer {

    private final DnsClient dns;
    private final MtaStsPolicyFetcher mtaSts;

    public DomainDiscoverer(DnsClient dns, MtaStsPolicyFetcher mtaSts) {
        this.dns = dns;
        this.mtaSts = mtaSts;
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
        CompletableFuture<Map<DomainName, DomainObservation.HostObservation>> hosts = mx.thenCompose(this::hosts);
        CompletableFuture<MtaStsPolicyFetcher.Fetch> policy = stsTxt.thenCompose(lookup -> announcesMtaSts(lookup)
                ? lookup(child("mta-sts", apex), Type.A).thenCompose(a -> mtaSts.fetch(domain, addresses(a)).toCompletableFuture())
                : CompletableFuture.completedFuture(null));
        return CompletableFuture.allOf(soa, mx, ns, txt, dnskey, ds, stsTxt, tlsRpt, hosts, policy)
                .thenApply(done -> MailFlowClassifier.classify(new DomainObservation(domain, soa.join(), mx.join(),
                        ns.join(), txt.join(), dnskey.join(), ds.join(), stsTxt.join(), tlsRpt.join(), hosts.join(), policy.join())));
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
                host = DomainName.of(MailFlowClassifier.text(target));
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
                : Lookup.failed(failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException
                ? failure.getCause().getMessage() : failure.getMessage())).toCompletableFuture();
    }

    private static boolean announcesMtaSts(Lookup txt) {
        return txt.records().stream().anyMatch(r -> r.rdataToString().contains("v=STSv1"));
    }

    private static List<InetAddress> addresses(Lookup a) {
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
