package dev.mxshift.discovery;

import dev.mxshift.discovery.dns.DnsClient;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asks a failing delegation's name servers what they do with the zone (the I/O half of {@link DelegationCheck}).
 * The NS set comes from a referral already in hand (an authoritative-mode answer that a registry's server gave), or
 * from the parent: the closest enclosing zone the resolver (or the configured servers) knows the NS of, whose servers
 * are asked for the domain's NS without recursion. Each named server's addresses are then asked once, in parallel,
 * for the zone's SOA, without recursion and without retries. Bounded: at most {@value #MAX_LEVELS} enclosing zones
 * tried, {@value #MAX_PARENT_SERVERS} parent servers, {@value #MAX_SERVERS} named servers with {@value #MAX_ADDRESSES}
 * addresses each, so a lame domain costs at most a few dozen queries and about two time-outs.
 */
final class DelegationProbe {

    static final int MAX_LEVELS = 4;
    static final int MAX_PARENT_SERVERS = 2;
    static final int MAX_SERVERS = 8;
    static final int MAX_ADDRESSES = 2;

    private final DnsClient dns;

    DelegationProbe(DnsClient dns) {
        this.dns = dns;
    }

    CompletableFuture<DelegationCheck> check(Name domain, Lookup ns, Lookup mx, Lookup soa) {
        Referral inHand = inHand(domain, List.of(ns, mx, soa));
        CompletableFuture<Referral> referral = inHand != null ? CompletableFuture.completedFuture(inHand)
                : fromParent(domain, parent(domain), 0);
        return referral.thenCompose(found -> found.servers().isEmpty()
                ? CompletableFuture.completedFuture(DelegationCheck.unlearned(domain, found.from()))
                : ask(found));
    }

    /** The NS set of a delegation: its zone, the servers it names, where it was seen (or, servers empty, why not). */
    private record Referral(Name zone, List<Name> servers, String from) {
    }

    /** The deepest NS set, at or above the domain (not the root), in the answer or authority section of a lookup already made. */
    private static Referral inHand(Name domain, List<Lookup> lookups) {
        Referral best = null;
        for (Lookup lookup : lookups) {
            if (!lookup.answered()) {
                continue;
            }
            Referral found = referral(domain, lookup);
            if (found != null && (best == null || found.zone().labels() > best.zone().labels())) {
                best = found;
            }
        }
        return best;
    }

    private static Referral referral(Name domain, Lookup lookup) {
        List<Record> records = new ArrayList<>(lookup.answer().records());
        records.addAll(lookup.answer().authority());
        List<NSRecord> ns = records.stream().filter(r -> r instanceof NSRecord).map(NSRecord.class::cast)
                .filter(r -> domain.subdomain(r.getName()) && !r.getName().equals(Name.root)).toList();
        if (ns.isEmpty()) {
            return null;
        }
        Name zone = ns.stream().map(Record::getName).max(Comparator.comparingInt(Name::labels)).orElseThrow();
        List<Name> servers = ns.stream().filter(r -> r.getName().equals(zone)).map(NSRecord::getTarget).distinct().sorted().toList();
        return new Referral(zone, servers, "NS " + MailFlowClassifier.text(zone) + " from " + lookup.answer().server());
    }

    /** Walks up from the domain to the first enclosing zone whose NS set is known, and asks its servers for the domain's delegation. */
    private CompletableFuture<Referral> fromParent(Name domain, Name parent, int level) {
        if (parent == null || level == MAX_LEVELS) {
            return CompletableFuture.completedFuture(new Referral(domain, List.of(),
                    "no enclosing zone's name servers could be found within " + MAX_LEVELS + " levels"));
        }
        return lookup(parent, Type.NS).thenCompose(ns -> {
            List<Name> servers = ns.records().stream().map(r -> ((NSRecord) r).getTarget()).distinct().sorted()
                    .limit(MAX_PARENT_SERVERS).toList();
            if (servers.isEmpty()) {
                return fromParent(domain, parent(parent), level + 1);
            }
            return askParent(domain, parent, servers, 0, new ArrayList<>());
        });
    }

    private CompletableFuture<Referral> askParent(Name domain, Name parent, List<Name> servers, int index, List<String> failures) {
        if (index == servers.size()) {
            return CompletableFuture.completedFuture(new Referral(domain, List.of(), "the servers of " + MailFlowClassifier.text(parent)
                    + " gave no delegation for it: " + String.join("; ", failures)));
        }
        Name server = servers.get(index);
        return lookup(server, Type.A).thenCompose(a -> {
            List<InetAddress> addresses = DomainDiscoverer.addresses(a);
            if (addresses.isEmpty()) {
                failures.add(MailFlowClassifier.text(server) + " has no address (" + a.describe() + ")");
                return askParent(domain, parent, servers, index + 1, failures);
            }
            InetSocketAddress address = dns.settings().zoneServer(addresses.get(0));
            return dns.queryAuthoritative(address, domain, Type.NS).toCompletableFuture()
                    .handle((answer, failure) -> failure == null ? Lookup.of(answer) : Lookup.failed(DomainDiscoverer.message(failure)))
                    .thenCompose(asked -> {
                        Referral found = asked.answered() ? referral(domain, asked) : null;
                        if (found != null && found.zone().labels() > parent.labels()) {
                            return CompletableFuture.completedFuture(new Referral(found.zone(), found.servers(), "NS "
                                    + MailFlowClassifier.text(found.zone()) + " at the parent " + MailFlowClassifier.text(parent)
                                    + "'s server " + MailFlowClassifier.text(server) + " (" + address.getAddress().getHostAddress() + ")"));
                        }
                        failures.add(MailFlowClassifier.text(server) + " (" + asked.describe() + ")");
                        return askParent(domain, parent, servers, index + 1, failures);
                    });
        });
    }

    /** Every named server's addresses, each asked once for the zone's SOA. */
    private CompletableFuture<DelegationCheck> ask(Referral referral) {
        List<Name> servers = referral.servers().stream().limit(MAX_SERVERS).toList();
        List<CompletableFuture<List<DelegationCheck.Asked>>> perServer = new ArrayList<>();
        for (Name server : servers) {
            perServer.add(lookup(server, Type.A).thenCompose(a -> {
                List<InetAddress> addresses = DomainDiscoverer.addresses(a).stream().limit(MAX_ADDRESSES).toList();
                if (addresses.isEmpty()) {
                    return CompletableFuture.completedFuture(List.of(new DelegationCheck.Asked(server, null, a)));
                }
                List<CompletableFuture<DelegationCheck.Asked>> each = new ArrayList<>();
                for (InetAddress address : addresses) {
                    InetSocketAddress at = dns.settings().zoneServer(address);
                    each.add(dns.probeAuthoritative(at, referral.zone(), Type.SOA).toCompletableFuture()
                            .handle((answer, failure) -> new DelegationCheck.Asked(server, address.getHostAddress(),
                                    failure == null ? Lookup.of(answer) : Lookup.failed(DomainDiscoverer.message(failure)))));
                }
                return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                        .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
            }));
        }
        return CompletableFuture.allOf(perServer.toArray(CompletableFuture[]::new)).thenApply(done -> new DelegationCheck(
                referral.zone(), referral.servers(), referral.from(),
                perServer.stream().flatMap(f -> f.join().stream()).toList()));
    }

    private CompletableFuture<Lookup> lookup(Name name, int type) {
        return dns.query(name, type).handle((answer, failure) -> failure == null ? Lookup.of(answer)
                : Lookup.failed(DomainDiscoverer.message(failure))).toCompletableFuture();
    }

    private static Name parent(Name name) {
        return name.labels() > 2 ? new Name(name, 1) : null;
    }
}
