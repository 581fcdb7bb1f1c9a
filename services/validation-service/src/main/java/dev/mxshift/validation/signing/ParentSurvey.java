package dev.mxshift.validation.signing;

import dev.mxshift.validation.propagation.AuthoritativeServers;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Gathers a {@link ParentView}: finds the parent zone through the resolver (checking disabled, so that a bogus zone's
 * parent is still found), asks each of the parent's servers directly over TCP with DO for the child's DS and its
 * delegation, fetches the zone's keys (checking disabled) and asks the validating resolver for the zone's SOA.
 */
public final class ParentSurvey {

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final Resolver resolver;
    private final AuthoritativeServers servers;
    private final Duration timeout;

    public ParentSurvey(Resolver resolver, AuthoritativeServers servers, Duration timeout) {
        this.resolver = resolver;
        this.servers = servers;
        this.timeout = timeout;
    }

    public ParentView look(Name zone) throws IOException {
        Name parent = parentOf(zone);
        List<ParentView.ParentServer> answers = new ArrayList<>();
        for (AuthoritativeServers.Server server : servers.of(parent)) {
            answers.add(ask(server, zone));
        }
        RRset keys = DirectQuery.answer(DirectQuery.recursive(resolver, zone, Type.DNSKEY, true), zone, Type.DNSKEY);
        return new ParentView(zone, parent, answers, keys, resolverAnswer(zone));
    }

    /** The nearest enclosing zone: the first name above the zone that has an NS set of its own. */
    Name parentOf(Name zone) throws IOException {
        for (Name candidate = new Name(zone, 1); ; candidate = new Name(candidate, 1)) {
            if (candidate.equals(Name.root)
                    || DirectQuery.answer(DirectQuery.recursive(resolver, candidate, Type.NS, true), candidate, Type.NS) != null) {
                return candidate;
            }
        }
    }

    private ParentView.ParentServer ask(AuthoritativeServers.Server server, Name zone) {
        Resolver direct = DirectQuery.tcp(server.address(), timeout);
        try {
            Message ds = DirectQuery.authoritative(direct, zone, Type.DS);
            boolean authoritative = ds.getHeader().getFlag(Flags.AA) && (ds.getRcode() == Rcode.NOERROR || ds.getRcode() == Rcode.NXDOMAIN);
            Message ns = DirectQuery.authoritative(direct, zone, Type.NS);
            // The parent answers with a referral (NS in the authority section); a server that also serves the child
            // (as the lab's PowerDNS does) answers from the child's apex instead.
            RRset delegation = DirectQuery.authority(ns, zone, Type.NS);
            if (delegation == null) {
                delegation = DirectQuery.answer(ns, zone, Type.NS);
            }
            Set<Name> names = new LinkedHashSet<>();
            if (delegation != null) {
                delegation.rrs(false).forEach(r -> names.add(((NSRecord) r).getTarget()));
            }
            return new ParentView.ParentServer(server.label(), null, authoritative, DirectQuery.answer(ds, zone, Type.DS), names);
        } catch (IOException e) {
            return ParentView.ParentServer.unreachable(server.label(), e.getMessage());
        }
    }

    /**
     * The resolver's view of the zone now: a name under it that nobody asked before (a random label), so that the answer
     * is validated afresh against the chain as it stands, not taken from a cache that holds the zone's SOA as insecure
     * (or secure) for its TTL. A signed, chained zone proves the name's absence securely (AD); an unsigned one does not;
     * a broken chain fails.
     */
    private ParentView.ResolverAnswer resolverAnswer(Name zone) throws IOException {
        Name probe = Name.concatenate(Name.fromConstantString("_mxshift-probe-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE)), zone);
        Message reply = DirectQuery.recursive(resolver, probe, Type.TXT, false);
        ExtendedErrorCodeOption ede = DirectQuery.extendedError(reply);
        Integer unchecked = null;
        if (reply.getRcode() == Rcode.SERVFAIL) {
            unchecked = DirectQuery.recursive(resolver, probe, Type.TXT, true).getRcode();
        }
        return new ParentView.ResolverAnswer(reply.getRcode(), reply.getHeader().getFlag(Flags.AD),
                ede == null ? null : ede.getErrorCode(), ede == null ? null : ede.getText(), unchecked);
    }
}
