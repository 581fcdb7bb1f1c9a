package dev.mxshift.discovery;

import dev.mxshift.discovery.dns.DnsAnswer;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a zone's delegated name servers did when each (each address) was asked for the zone's SOA without recursion,
 * and the judgement on it. Pure: {@link DelegationProbe} gathers it when the MX and SOA lookups show the delegation
 * failing, and {@link MailFlowClassifier} words the outcome. A lame delegation is a delegation problem with its
 * servers named, never a DNSSEC verdict (issue 29 item 5; a validating resolver calls such a zone failing, not bogus).
 *
 * @param zone        the delegated zone (the owner of the delegation's NS set)
 * @param servers     the name servers the delegation names (empty: they could not be learned)
 * @param serversFrom where the NS set came from, or why it could not be learned
 * @param asked       one entry per address asked, or per name without an address
 */
public record DelegationCheck(Name zone, List<Name> servers, String serversFrom, List<Asked> asked) {

    public DelegationCheck {
        Objects.requireNonNull(zone, "zone");
        servers = List.copyOf(servers);
        asked = List.copyOf(asked);
    }

    /** The delegation's NS set could not be learned: nothing was asked. */
    public static DelegationCheck unlearned(Name zone, String why) {
        return new DelegationCheck(zone, List.of(), why, List.of());
    }

    /** One named server at one address and its reply to the SOA query; {@code address} null: the name has no address (the reply is that lookup). */
    public record Asked(Name server, String address, Lookup reply) {
    }

    /** What one server did with the zone. */
    public enum Behaviour {
        /** NOERROR with AA and the zone's SOA: it serves the zone. */
        ANSWERED,
        /** REFUSED: it holds no such zone and will not look it up. */
        REFUSED,
        /** A referral to the zone's own NS set, itself among it: it points back at itself. */
        REFERRAL_TO_ITSELF,
        /** A referral to other servers for the zone, without itself. */
        REFERRAL_ELSEWHERE,
        /** A referral to an enclosing zone (the root, a TLD): it knows nothing of the zone. */
        UPWARD_REFERRAL,
        /** Some other answer without authority for the zone (NXDOMAIN or NODATA from another zone it holds, an empty answer). */
        NOT_AUTHORITATIVE,
        /** SERVFAIL or another error code. */
        FAILED,
        /** Nothing came back within the time-out. */
        NO_ANSWER,
        /** The server's name has no address to ask. */
        NO_ADDRESS
    }

    /** One server's behaviour and the words that say it, e.g. "lame.example (192.0.2.1) answered REFUSED for example.com". */
    public record Verdict(Name server, String address, Behaviour behaviour, String words) {
    }

    public List<Verdict> verdicts() {
        return asked.stream().map(a -> judge(zone, a)).toList();
    }

    /** Whether the named servers were asked and none serves the zone. */
    public boolean lame() {
        return !asked.isEmpty() && verdicts().stream().noneMatch(v -> v.behaviour() == Behaviour.ANSWERED);
    }

    /** Whether any server answered the zone as its own: refused or referred, not just silent. */
    public boolean refusedOrReferred() {
        return verdicts().stream().anyMatch(v -> v.behaviour() != Behaviour.ANSWERED && v.behaviour() != Behaviour.NO_ANSWER
                && v.behaviour() != Behaviour.NO_ADDRESS);
    }

    /** Every server's verdict in words, in the order asked. */
    public String describe() {
        return verdicts().stream().map(Verdict::words).collect(Collectors.joining("; "));
    }

    /** The judgement of one reply to "zone SOA?" asked without recursion. */
    public static Verdict judge(Name zone, Asked asked) {
        String who = MailFlowClassifier.text(asked.server()) + (asked.address() == null ? "" : " (" + asked.address() + ")");
        String of = MailFlowClassifier.text(zone);
        Lookup reply = asked.reply();
        if (asked.address() == null) {
            return new Verdict(asked.server(), null, Behaviour.NO_ADDRESS, who + " has no address (" + reply.describe() + ")");
        }
        if (!reply.answered()) {
            return new Verdict(asked.server(), asked.address(), Behaviour.NO_ANSWER, who + " did not answer for " + of
                    + " (time-out: " + reply.failure() + ")");
        }
        DnsAnswer answer = reply.answer();
        int rcode = answer.rcode();
        if (rcode == Rcode.REFUSED) {
            return verdict(asked, Behaviour.REFUSED, who + " answered REFUSED for " + of);
        }
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return verdict(asked, Behaviour.FAILED, who + " answered " + Rcode.string(rcode) + " for " + of);
        }
        if (answer.authoritative()) {
            boolean soa = answer.records().stream().anyMatch(r -> r instanceof SOARecord && r.getName().equals(zone));
            if (soa && rcode == Rcode.NOERROR) {
                return verdict(asked, Behaviour.ANSWERED, who + " answers for " + of + " with authority");
            }
            Name own = answer.authority().stream().filter(r -> r.getType() == Type.SOA).map(Record::getName).findFirst().orElse(null);
            return verdict(asked, Behaviour.NOT_AUTHORITATIVE, who + " answered " + Rcode.string(rcode) + " for " + of
                    + (own == null ? " without the zone's SOA" : " from its own zone " + MailFlowClassifier.text(own)
                    + ", not as a server of " + of));
        }
        List<NSRecord> referral = answer.authority().stream().filter(r -> r instanceof NSRecord).map(NSRecord.class::cast).toList();
        if (referral.isEmpty()) {
            return verdict(asked, Behaviour.NOT_AUTHORITATIVE, who + " answered " + Rcode.string(rcode) + " for " + of
                    + " without authority and without a referral");
        }
        Name to = referral.get(0).getName();
        String targets = referral.stream().map(r -> MailFlowClassifier.text(r.getTarget())).distinct().sorted()
                .collect(Collectors.joining(", "));
        if (to.equals(zone)) {
            boolean itself = referral.stream().anyMatch(r -> r.getTarget().equals(asked.server()));
            return itself ? verdict(asked, Behaviour.REFERRAL_TO_ITSELF, who + " referred " + of + " back to itself (NS " + targets + ")")
                    : verdict(asked, Behaviour.REFERRAL_ELSEWHERE, who + " referred " + of + " to " + targets + " instead of answering");
        }
        if (zone.subdomain(to)) {
            return verdict(asked, Behaviour.UPWARD_REFERRAL, who + " answered " + of + " with an upward referral to "
                    + MailFlowClassifier.text(to) + " (NS " + targets + ")");
        }
        return verdict(asked, Behaviour.NOT_AUTHORITATIVE, who + " answered " + of + " with a referral to "
                + MailFlowClassifier.text(to) + ", another zone");
    }

    private static Verdict verdict(Asked asked, Behaviour behaviour, String words) {
        return new Verdict(asked.server(), asked.address(), behaviour, words);
    }
}
