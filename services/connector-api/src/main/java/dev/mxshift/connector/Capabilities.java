package dev.mxshift.connector;

import java.util.Set;

/**
 * What a connector can do, declared, so the engine never asks for what it cannot (in the spirit of DNSControl's
 * provider capabilities).
 *
 * @param recordTypes            the types it reads and writes (MX at least; TXT for MTA-STS ids; TLSA, DS where it can)
 * @param dnssecManagement       it can sign a zone, tell its keys and the DS to publish, publish CDS/CDNSKEY and
 *                               unsign it ({@link DnsConnector#signing}, {@code sign}, {@code publishCds}, {@code unsign})
 * @param zoneListing            it can list the zones it hosts
 * @param atomicMultiSet         several record sets change in one atomic request
 * @param nativeCompareAndSet    the provider itself refuses a write when the set is not the expected one
 * @param nativeCompareCoversTtl the provider's refusal covers the whole set, its TTL as well as its records (Route 53's
 *                               change batch: a DELETE must match the set exactly). Then a read before the write would
 *                               prove nothing the write does not, so the engine writes first and reads only when the
 *                               provider refuses. Not so for RFC 2136, whose prerequisites compare records but never
 *                               TTL (RFC 2136 section 2.4.2). Implies {@code nativeCompareAndSet}.
 */
public record Capabilities(Set<String> recordTypes, boolean dnssecManagement, boolean zoneListing, boolean atomicMultiSet,
                           boolean nativeCompareAndSet, boolean nativeCompareCoversTtl) {
    public Capabilities {
        recordTypes = Set.copyOf(recordTypes);
        if (nativeCompareCoversTtl && !nativeCompareAndSet) {
            throw new IllegalArgumentException("a native compare that covers the TTL is a native compare-and-set: declare nativeCompareAndSet too");
        }
    }

    /** Without a native compare that covers the TTL: what connectors built against the first version of this API declare. */
    public Capabilities(Set<String> recordTypes, boolean dnssecManagement, boolean zoneListing, boolean atomicMultiSet,
                        boolean nativeCompareAndSet) {
        this(recordTypes, dnssecManagement, zoneListing, atomicMultiSet, nativeCompareAndSet, false);
    }
}
