package dev.mxshift.validation.signing;

import dev.mxshift.validation.dnssec.SignatureCheck;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.RRset;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Whether the parent serves the zone's DS, as pure decisions over a {@link ParentView}. Knot and BIND count a DS
 * sighting on every parent server and do not validate what they saw (mail-facts.md); mxshift asks every parent server
 * directly, judges each DS against the zone's own keys, and also needs the validating resolver to say secure. A DS
 * that matches no key is reported at once, with the DS to publish instead: the zone is bogus for every validating
 * resolver while it stands (invariant 6).
 */
public final class ParentDsCheck {

    private ParentDsCheck() {
    }

    public sealed interface Verdict {
        String summary();
    }

    /** Every parent server serves exactly {@code ds} and the resolver says secure; {@code dsTtl} is the largest DS TTL seen. */
    public record Chained(List<DSRecord> ds, long dsTtl, List<String> parentServers) implements Verdict {
        public String summary() {
            return "every server of the parent (" + String.join(", ", parentServers) + ") serves the DS " + DsToPublish.describe(ds)
                    + " (TTL " + dsTtl + " s) and the validating resolver says secure";
        }
    }

    /** Not there yet everywhere (a parent server without the DS, a resolver still holding the insecure answer): check again later. */
    public record NotYet(List<String> waitingFor) implements Verdict {
        public String summary() {
            return "the zone is not chained yet: " + String.join("; ", waitingFor);
        }
    }

    /** A DS that matches no key of the zone, or a bogus answer: the zone is failing now. {@code correctDs} is what to publish. */
    public record WrongDs(List<String> problems, List<DSRecord> seen, List<DSRecord> correctDs) implements Verdict {
        public String summary() {
            if (DsToPublish.rdata(correctDs).containsAll(DsToPublish.rdata(seen))) {
                // Every DS the parent serves is the right one: the resolver's bogus comes from the zone's signing.
                return "the validating resolver says the zone is bogus, though no parent server serves a wrong DS: "
                        + String.join("; ", problems) + "; check the zone's signatures on every server";
            }
            return "the zone is bogus because of its DS: " + String.join("; ", problems) + "; "
                    + (correctDs.isEmpty() ? "remove the DS at the parent (the zone serves no key to publish a DS for)"
                    : "replace it at the parent with " + DsToPublish.describe(correctDs));
        }
    }

    public sealed interface GoneVerdict {
        String summary();
    }

    /** No parent server serves a DS any more; {@code largestDsTtlSeenBefore} is how long a cache may still hold it, when known. */
    public record Gone(List<String> parentServers, OptionalLong largestDsTtlSeenBefore) implements GoneVerdict {
        public String summary() {
            return "no server of the parent (" + String.join(", ", parentServers) + ") serves a DS for the zone; caches may hold it "
                    + (largestDsTtlSeenBefore.isPresent() ? "up to " + largestDsTtlSeenBefore.getAsLong() + " s more"
                    : "for the parent's DS TTL (not seen before)") + ", so keep signing until then and the zone's longest signature TTL have passed";
        }
    }

    /** Some parent server still serves a DS (or could not be asked); {@code largestDsTtl} is the largest DS TTL served now. */
    public record StillThere(List<String> servers, long largestDsTtl) implements GoneVerdict {
        public String summary() {
            return "the DS is not gone from the parent: " + String.join("; ", servers);
        }
    }

    /**
     * @param expectedDs the DS that was published (ZoneSigningCheck's); empty to accept the DS of the zone's served SEP keys
     */
    public static Verdict decide(ParentView view, List<DSRecord> expectedDs) {
        String z = view.zone().toString(true);
        String p = view.parent() == null ? "the parent" : view.parent().toString(true);
        List<DNSKEYRecord> keys = DsToPublish.keys(view.zoneKeys());
        List<DSRecord> correct = expectedDs.isEmpty() ? DsToPublish.from(keys) : List.copyOf(expectedDs);
        List<String> wrong = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        Set<DSRecord> seen = new LinkedHashSet<>();
        List<String> servers = new ArrayList<>();
        long ttl = 0;
        if (view.servers().isEmpty()) {
            waiting.add("no server of " + p + " was found to ask");
        }
        for (ParentView.ParentServer server : view.servers()) {
            String s = server.server();
            servers.add(s);
            if (server.failure() != null) {
                waiting.add(s + " did not answer (" + server.failure() + ")");
                continue;
            }
            if (!server.authoritative()) {
                waiting.add(s + " answers without authority for " + p + " (is it a server of the parent?)");
                continue;
            }
            if (server.ds() == null) {
                waiting.add(s + " serves no DS for " + z + " yet");
                continue;
            }
            ttl = Math.max(ttl, server.ds().getTTL());
            List<DSRecord> served = DsToPublish.records(server.ds());
            seen.addAll(served);
            boolean matchesNoKey = false;
            for (DSRecord ds : served) {
                // RFC 4035 section 5.2: a DS that matches no DNSKEY of the child leaves the validator without a way in.
                if (!SignatureCheck.matchesAKey(ds, keys)) {
                    matchesNoKey = true;
                    wrong.add(s + " serves the DS " + ds.rdataToString() + ", which matches no key of " + z
                            + (keys.isEmpty() ? " (it serves no DNSKEY)" : " (key tags " + DsToPublish.tags(keys) + ")"));
                }
            }
            if (!matchesNoKey && !DsToPublish.rdata(served).equals(DsToPublish.rdata(correct))) {
                waiting.add(s + " serves the DS " + DsToPublish.describe(served) + ", not yet exactly " + DsToPublish.describe(correct));
            }
        }
        switch (view.resolver().status()) {
            case SECURE -> {
            }
            // A DS that matches no key is caught on the parent's servers themselves, above. With none, a bogus answer is
            // the resolver's memory of the zone before its DS was put right (resolvers keep a bogus answer for a while:
            // Unbound's val-bogus-ttl is 60 s), or a signature broken since the keys were verified: checked again, and
            // reported with this reason if it does not clear.
            case BOGUS -> (wrong.isEmpty() ? waiting : wrong).add("the validating resolver says " + z + " is "
                    + view.resolver().describe() + (wrong.isEmpty() ? " though every DS served matches a key: it may still hold a"
                    + " bogus answer from before the DS was put right; if it persists, check the zone's signatures on every server" : ""));
            case INSECURE -> waiting.add("the validating resolver still says " + z + " is " + view.resolver().describe()
                    + " (it may hold the parent's proof of no DS until that answer's TTL ends)");
            case FAILED -> waiting.add("the validating resolver cannot resolve " + z + ": " + view.resolver().describe());
        }
        if (!wrong.isEmpty()) {
            return new WrongDs(wrong, List.copyOf(seen), correct);
        }
        if (!waiting.isEmpty()) {
            return new NotYet(waiting);
        }
        return new Chained(correct, ttl, servers);
    }

    /**
     * The reverse, before signing is turned off: gone only when every parent server answers with authority and none
     * serves a DS (a server that did not answer could still be serving it).
     */
    public static GoneVerdict decideGone(ParentView view, OptionalLong largestDsTtlSeenBefore) {
        String z = view.zone().toString(true);
        List<String> still = new ArrayList<>();
        List<String> servers = new ArrayList<>();
        long ttl = 0;
        if (view.servers().isEmpty()) {
            still.add("no server of the parent zone was found to ask");
        }
        for (ParentView.ParentServer server : view.servers()) {
            String s = server.server();
            servers.add(s);
            if (server.failure() != null) {
                still.add(s + " did not answer (" + server.failure() + "); it may still serve the DS");
            } else if (!server.authoritative()) {
                still.add(s + " answers without authority; it cannot confirm the DS is gone");
            } else if (server.ds() != null) {
                RRset ds = server.ds();
                ttl = Math.max(ttl, ds.getTTL());
                still.add(s + " still serves the DS " + DsToPublish.describe(DsToPublish.records(ds)) + " for " + z + " (TTL " + ds.getTTL() + " s)");
            }
        }
        if (!still.isEmpty()) {
            return new StillThere(still, ttl);
        }
        return new Gone(servers, largestDsTtlSeenBefore);
    }
}
