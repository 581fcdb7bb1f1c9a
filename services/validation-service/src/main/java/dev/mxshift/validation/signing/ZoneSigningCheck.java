package dev.mxshift.validation.signing;

import dev.mxshift.validation.dnssec.SignatureCheck;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Invariant 6's first half, as a pure decision: a DS may go to the parent only when every authoritative server of the
 * zone serves the same DNSKEY set, signed by a key the DS names, and valid signatures over the SOA, NS and MX sets
 * (RFC 6781 section 4.3: a secondary must have transferred the signed zone first). The facts are what each server
 * said when asked directly ({@link ZoneSigningSurvey}); the verdict says what to do next.
 */
public final class ZoneSigningCheck {

    private ZoneSigningCheck() {
    }

    /**
     * What one authoritative server served, asked directly over TCP with DO: each set with its RRSIGs, null where it
     * serves none; {@code failure} when it did not answer at all.
     */
    public record ServerFacts(String server, String failure, boolean authoritative, RRset dnskey, RRset soa, RRset ns, RRset mx) {

        public static ServerFacts unreachable(String server, String failure) {
            return new ServerFacts(server, failure, false, null, null, null, null);
        }
    }

    /** Every server asked for the zone: the delegation's and the ones the caller named. */
    public record Facts(Name zone, List<ServerFacts> servers) {
        public Facts {
            servers = List.copyOf(servers);
        }
    }

    public sealed interface Verdict {
        /** The largest TTL of any RRSIG seen (invariant 6: how long a cache may still hold a signature after unsigning). */
        long largestSignatureTtl();

        /** One paragraph for the operator. */
        String summary();
    }

    /**
     * Every server serves the same signed zone: {@code dsToPublish} is the DS the parent should get (the expected one,
     * or the one derived from the served keys); {@code notes} say what was fine but worth knowing (a zone without MX).
     */
    public record Signed(List<DSRecord> dsToPublish, List<String> servers, long largestSignatureTtl, List<String> notes) implements Verdict {
        public String summary() {
            return "every server (" + String.join(", ", servers) + ") serves the signed zone with valid signatures; DS to publish: "
                    + DsToPublish.describe(dsToPublish) + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        }
    }

    /**
     * Not signed everywhere yet, in a way that settles without anyone acting (a secondary still transferring, a signer
     * still signing): check again later. {@code unsigned} when no server serves a DNSKEY set at all.
     */
    public record NotYet(boolean unsigned, List<String> waitingFor, long largestSignatureTtl) implements Verdict {
        public String summary() {
            return (unsigned ? "the zone is not signed: " : "not every server serves the signed zone yet: ") + String.join("; ", waitingFor);
        }
    }

    /** Signed, but wrongly: publishing a DS now would make the zone bogus. Each problem names the server, the set and why. */
    public record Broken(List<String> problems, long largestSignatureTtl) implements Verdict {
        public String summary() {
            return "the zone's signing is broken, do not publish a DS: " + String.join("; ", problems);
        }
    }

    /**
     * @param expectedDs the DS about to be published (from the provider that signed the zone); empty for a zone someone
     *                   else signed, whose DS is then derived from the served keys
     */
    public static Verdict decide(Facts facts, List<DSRecord> expectedDs, Instant now) {
        Name zone = facts.zone();
        String z = zone.toString(true);
        List<String> problems = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        Map<String, List<DNSKEYRecord>> keysByServer = new LinkedHashMap<>();
        Map<String, RRset> keySetByServer = new LinkedHashMap<>();
        int unsigned = 0;
        long largestTtl = 0;
        if (facts.servers().isEmpty()) {
            problems.add("no authoritative server of " + z + " was found to ask; check its delegation");
        }
        for (ServerFacts server : facts.servers()) {
            String s = server.server();
            asked.add(s);
            for (RRset set : new RRset[] {server.dnskey(), server.soa(), server.ns(), server.mx()}) {
                largestTtl = Math.max(largestTtl, largestSignatureTtl(set));
            }
            if (server.failure() != null) {
                waiting.add(s + " did not answer (" + server.failure() + ")");
                continue;
            }
            if (!server.authoritative()) {
                problems.add(s + " answers without authority for " + z + ": it does not serve the zone; fix the server or remove it from the delegation");
                continue;
            }
            if (server.soa() == null) {
                problems.add(s + " serves no SOA for " + z + "; it does not serve the zone as its apex");
                continue;
            }
            if (server.dnskey() == null) {
                unsigned++;
                waiting.add(s + " serves no DNSKEY set for " + z + " yet" + (facts.servers().size() > 1
                        ? " (a secondary that has not transferred the signed zone?)" : ""));
                continue;
            }
            List<DNSKEYRecord> keys = DsToPublish.keys(server.dnskey());
            keysByServer.put(s, keys);
            keySetByServer.put(s, server.dnskey());
            check(s, z + " DNSKEY", server.dnskey(), keys, now, problems, waiting);
            check(s, z + " SOA", server.soa(), keys, now, problems, waiting);
            if (server.ns() == null) {
                problems.add(s + " serves no NS set at the apex of " + z);
            } else {
                check(s, z + " NS", server.ns(), keys, now, problems, waiting);
            }
            if (server.mx() == null) {
                String note = z + " has no MX set (nothing to sign there)";
                if (!notes.contains(note)) {
                    notes.add(note);
                }
            } else {
                check(s, z + " MX", server.mx(), keys, now, problems, waiting);
            }
        }
        if (!facts.servers().isEmpty() && unsigned == facts.servers().size()) {
            return new NotYet(true, List.of("no server of " + z + " (" + String.join(", ", asked) + ") serves a DNSKEY set"), largestTtl);
        }
        // RFC 6781 section 4.3: every server must serve the key set before the DS goes up; a validator may ask any of them.
        if (keysByServer.values().stream().map(DsToPublish::rdata).distinct().count() > 1) {
            List<String> sets = new ArrayList<>();
            keysByServer.forEach((s, keys) -> sets.add(s + " serves key tags " + DsToPublish.tags(keys)));
            problems.add("the servers disagree on the DNSKEY set of " + z + " (" + String.join(", ", sets)
                    + "); make every server serve the same signed zone (a secondary transferring from another signer?)");
        }
        List<DSRecord> ds = expectedDs;
        if (!keysByServer.isEmpty() && problems.isEmpty()) {
            List<DNSKEYRecord> keys = keysByServer.values().iterator().next();
            if (ds.isEmpty()) {
                ds = DsToPublish.from(keys);
                if (ds.isEmpty()) {
                    problems.add("no served key of " + z + " can have a DS (key tags " + DsToPublish.tags(keys)
                            + " are revoked or not zone keys); have the provider create an active signing key");
                }
            }
            for (DSRecord one : ds) {
                DNSKEYRecord key = keys.stream().filter(k -> SignatureCheck.matches(one, k)).findFirst().orElse(null);
                if (key == null) {
                    problems.add("the DS about to be published (" + one.rdataToString() + ") matches none of the keys the servers serve"
                            + " (key tags " + DsToPublish.tags(keys) + "); publish the DS of a served key: "
                            + DsToPublish.describe(DsToPublish.from(keys)));
                    continue;
                }
                keySetByServer.forEach((s, set) -> {
                    if (set.sigs().isEmpty()) {
                        return; // not signed yet: waited for above
                    }
                    Set<Integer> signers = SignatureCheck.signedBy(set, keysByServer.get(s), now);
                    if (!signers.contains(key.getFootprint())) {
                        problems.add(s + ": the DS " + one.rdataToString() + " names key " + key.getFootprint() + ", which does not sign the"
                                + " DNSKEY set (signed by key tags " + signers + "); a validator could not follow the chain from that DS");
                    }
                });
            }
        }
        if (!problems.isEmpty()) {
            return new Broken(problems, largestTtl);
        }
        if (!waiting.isEmpty()) {
            return new NotYet(false, waiting, largestTtl);
        }
        return new Signed(List.copyOf(ds), asked, largestTtl, notes);
    }

    /** A set without RRSIG under a served key set is still being signed (BIND signs a zone in chunks); a bad RRSIG is broken. */
    private static void check(String server, String what, RRset set, List<DNSKEYRecord> keys, Instant now,
                              List<String> problems, List<String> waiting) {
        if (set.sigs().isEmpty()) {
            waiting.add(server + " serves " + what + " without an RRSIG yet (is the signer still signing the zone?)");
            return;
        }
        SignatureCheck.Failure failure = SignatureCheck.failure(set, keys, now, server + ": " + what);
        if (failure != null) {
            problems.add(failure.detail());
        }
    }

    /** A cache keeps a signature no longer than its TTL and its original TTL (RFC 4035 section 5.3.3); take the larger, to be safe. */
    private static long largestSignatureTtl(RRset set) {
        long largest = 0;
        if (set != null) {
            for (var sig : set.sigs()) {
                largest = Math.max(largest, Math.max(sig.getTTL(), ((RRSIGRecord) sig).getOrigTTL()));
            }
        }
        return largest;
    }
}
