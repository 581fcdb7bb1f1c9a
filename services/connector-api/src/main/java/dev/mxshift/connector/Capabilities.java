package dev.mxshift.connector;

import java.util.Set;

/**
 * What a connector can do, declared, so the engine never asks for what it cannot (in the spirit of DNSControl's
 * provider capabilities).
 *
 * @param recordTypes          the types it reads and writes (MX at least; TXT for MTA-STS ids; TLSA, DS where it can)
 * @param dnssecManagement     it can enable DNSSEC on a zone and return the DS to publish
 * @param zoneListing          it can list the zones it hosts
 * @param atomicMultiSet       several record sets change in one atomic request
 * @param nativeCompareAndSet  the provider itself refuses a write when the set is not the expected one
 */
public record Capabilities(Set<String> recordTypes, boolean dnssecManagement, boolean zoneListing, boolean atomicMultiSet,
                           boolean nativeCompareAndSet) {
    public Capabilities {
        recordTypes = Set.copyOf(recordTypes);
    }
}
