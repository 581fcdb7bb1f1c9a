package dev.mxshift.discovery.sweep;

import dev.mxshift.discovery.dns.DnsAnswer;
import dev.mxshift.discovery.dns.DnsClient;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The addresses Exchange Online's legacy hosts resolve to at sweep time, asked through the configured resolver: each
 * host once (A and AAAA) for the whole sweep, however many zones name it. A host that does not resolve (retired,
 * NXDOMAIN) contributes no address and is remembered as such; a query that fails after its retries is kept as a
 * problem the sweep reports, since an address not known is a hard-coded copy not found.
 */
public final class LegacyAddresses {

    private final DnsClient dns;
    private final Map<Name, List<InetAddress>> resolved = new ConcurrentHashMap<>();
    private final Map<Name, String> failures = new ConcurrentHashMap<>();

    public LegacyAddresses(DnsClient dns) {
        this.dns = dns;
    }

    /** Resolves the hosts not asked yet (at most the client's queries in flight at once) and waits for them. */
    public void resolve(Collection<Name> hosts) throws InterruptedException {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (Name host : hosts) {
            if (resolved.containsKey(host) || failures.containsKey(host)) {
                continue;
            }
            CompletableFuture<DnsAnswer> a = dns.query(host, Type.A).toCompletableFuture();
            CompletableFuture<DnsAnswer> aaaa = dns.query(host, Type.AAAA).toCompletableFuture();
            pending.add(a.thenCombine(aaaa, (four, six) -> {
                List<InetAddress> addresses = new ArrayList<>();
                for (DnsAnswer answer : List.of(four, six)) {
                    for (Record record : answer.ofAskedType()) {
                        addresses.add(record instanceof ARecord r ? r.getAddress() : ((AAAARecord) record).getAddress());
                    }
                }
                resolved.put(host, List.copyOf(addresses));
                return (Void) null;
            }).exceptionally(e -> {
                failures.put(host, e.getCause() == null ? e.toString() : e.getCause().getMessage());
                return null;
            }));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("resolving the legacy hosts failed: " + e.getCause(), e.getCause());
        }
    }

    /** Every host resolved so far, with its addresses (none for a host that does not resolve). */
    public Map<Name, List<InetAddress>> byHost() {
        return Map.copyOf(resolved);
    }

    /** The distinct addresses known so far, with the first host (in name order) that has each. */
    public Map<InetAddress, Name> byAddress() {
        Map<InetAddress, Name> addresses = new LinkedHashMap<>();
        resolved.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> e.getValue().forEach(address -> addresses.putIfAbsent(address, e.getKey())));
        return addresses;
    }

    /** How many hosts were asked: each once, however many zones name it. */
    public int hostsAsked() {
        return resolved.size() + failures.size();
    }

    /** Hosts whose queries failed after every retry, with the reason. */
    public Map<Name, String> failures() {
        return Map.copyOf(failures);
    }
}
