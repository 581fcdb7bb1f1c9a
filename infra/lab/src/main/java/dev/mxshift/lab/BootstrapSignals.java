package dev.mxshift.lab;

import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.TextParseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * RFC 9615 (authenticated DNSSEC bootstrapping) from the parent's side, pure: whether the child's DNS operator vouches,
 * in its own DNSSEC-signed zone, for exactly the CDS and CDNSKEY the child serves at its apex. The child's apex answers
 * are {@link CdsEvidence}'s (step 2 of RFC 9615 section 4.2); this class does steps 1, 3 and 4:
 * <ol>
 *   <li>the child has no DS yet (the caller asks only then) and at least one name server of its delegation is out of
 *       bailiwick (an in-bailiwick host has no chain of trust before the child's own DS, so its signal is not used);</li>
 *   <li>for every out-of-bailiwick host N, the CDS and CDNSKEY at {@code _dsboot.<child>._signal.<N>}, asked through a
 *       validating resolver, must be answered secure (AD): insecure, bogus or unanswered aborts;</li>
 *   <li>each of them must equal the child's apex set of its type, an empty set on one side and not on the other
 *       included.</li>
 * </ol>
 */
public final class BootstrapSignals {

    /** How the validating resolver answered for a signalling name. */
    public enum Security { SECURE, INSECURE, BOGUS, FAILED }

    /**
     * The resolver's answers for one host's signalling name; {@code cds}/{@code cdnskey} are null or empty when a secure
     * answer proved there are none. {@code detail} says what went wrong when the answer is not SECURE.
     */
    public record SignalAnswer(Name host, Security security, RRset cds, RRset cdnskey, String detail) {

        public static SignalAnswer secure(Name host, RRset cds, RRset cdnskey) {
            return new SignalAnswer(host, Security.SECURE, cds, cdnskey, null);
        }

        public static SignalAnswer notSecure(Name host, Security security, String detail) {
            return new SignalAnswer(host, security, null, null, detail);
        }
    }

    /** What the signals allow. */
    public sealed interface Verdict {
        /** Every out-of-bailiwick host vouches for exactly the child's CDS and CDNSKEY. */
        record Authenticated(List<Name> signalNames) implements Verdict {
        }

        /** Not authenticated; the registry falls back to its observation count. */
        record NotAuthenticated(String reason) implements Verdict {
        }
    }

    private BootstrapSignals() {
    }

    /** {@code _dsboot.<child>._signal.<host>} (RFC 9615 sections 2.2 and 4.1). */
    public static Name signalName(Name child, Name host) {
        try {
            return Name.fromString("_dsboot." + child.toString(true) + "._signal." + host.toString(true) + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("no signalling name for " + child + " under " + host + ": " + e.getMessage(), e);
        }
    }

    /** Whether the host is the child itself or below it: such a host cannot carry a signal before the child is chained. */
    public static boolean inBailiwick(Name child, Name host) {
        return host.subdomain(child);
    }

    /** The hosts whose signalling names the parent must ask: the delegation's out-of-bailiwick ones. */
    public static List<Name> hostsToAsk(Name child, List<Name> nameServers) {
        return nameServers.stream().filter(host -> !inBailiwick(child, host)).distinct().toList();
    }

    /**
     * @param nameServers the delegation's NS hosts, as the parent holds them
     * @param apexCds     the CDS set every child server served at the apex (CdsEvidence checked they agree)
     * @param apexCdnskey the CDNSKEY set, likewise
     * @param answers     the resolver's answer for each host of {@link #hostsToAsk}
     */
    public static Verdict evaluate(Name child, List<Name> nameServers, RRset apexCds, RRset apexCdnskey, Map<Name, SignalAnswer> answers) {
        List<Name> hosts = hostsToAsk(child, nameServers);
        if (hosts.isEmpty()) {
            return new Verdict.NotAuthenticated("every name server of " + child + " is in bailiwick (" + nameServers
                    + "): no signal can be validated before the child's own DS (RFC 9615 section 4.4)");
        }
        List<Name> names = new ArrayList<>();
        for (Name host : hosts) {
            Name signal = signalName(child, host);
            SignalAnswer answer = answers.get(host);
            if (answer == null) {
                return new Verdict.NotAuthenticated(signal + " was not asked");
            }
            if (answer.security() != Security.SECURE) {
                return new Verdict.NotAuthenticated(signal + " is " + answer.security().name().toLowerCase(java.util.Locale.ROOT)
                        + (answer.detail() == null ? "" : " (" + answer.detail() + ")") + ": signals must validate (AD)");
            }
            for (String type : List.of("CDS", "CDNSKEY")) {
                TreeSet<String> atApex = CdsEvidence.rdata(type.equals("CDS") ? apexCds : apexCdnskey);
                TreeSet<String> signalled = CdsEvidence.rdata(type.equals("CDS") ? answer.cds() : answer.cdnskey());
                if (!atApex.equals(signalled)) {
                    return new Verdict.NotAuthenticated(type + " at " + signal + " is " + (signalled.isEmpty() ? "absent" : signalled)
                            + ", the child's apex serves " + (atApex.isEmpty() ? "none" : atApex));
                }
            }
            names.add(signal);
        }
        return new Verdict.Authenticated(List.copyOf(names));
    }
}
