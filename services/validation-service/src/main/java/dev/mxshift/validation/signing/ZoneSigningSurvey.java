package dev.mxshift.validation.signing;

import dev.mxshift.validation.propagation.AuthoritativeServers;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers {@link ZoneSigningCheck}'s facts: the zone's servers as the delegation names them (through the resolver, as
 * {@link AuthoritativeServers} finds them) plus any the caller names (a secondary not yet in the delegation), each
 * asked directly over TCP with DO for the DNSKEY, SOA, NS and MX sets with their signatures.
 */
public final class ZoneSigningSurvey {

    private final AuthoritativeServers servers;
    private final Duration timeout;

    public ZoneSigningSurvey(AuthoritativeServers servers, Duration timeout) {
        this.servers = servers;
        this.timeout = timeout;
    }

    public ZoneSigningCheck.Facts gather(Name zone, List<AuthoritativeServers.Server> alsoAsk) throws IOException {
        Map<String, AuthoritativeServers.Server> byAddress = new LinkedHashMap<>();
        for (AuthoritativeServers.Server server : servers.of(zone)) {
            byAddress.putIfAbsent(server.address().toString(), server);
        }
        for (AuthoritativeServers.Server server : alsoAsk) {
            byAddress.putIfAbsent(server.address().toString(), server);
        }
        List<ZoneSigningCheck.ServerFacts> facts = new ArrayList<>();
        for (AuthoritativeServers.Server server : byAddress.values()) {
            facts.add(ask(server, zone));
        }
        return new ZoneSigningCheck.Facts(zone, facts);
    }

    private ZoneSigningCheck.ServerFacts ask(AuthoritativeServers.Server server, Name zone) {
        Resolver resolver = DirectQuery.tcp(server.address(), timeout);
        try {
            Message soa = DirectQuery.authoritative(resolver, zone, Type.SOA);
            boolean authoritative = soa.getRcode() == Rcode.NOERROR && soa.getHeader().getFlag(Flags.AA);
            if (!authoritative) {
                return new ZoneSigningCheck.ServerFacts(server.label(), null, false, null, null, null, null);
            }
            return new ZoneSigningCheck.ServerFacts(server.label(), null, true,
                    DirectQuery.answer(DirectQuery.authoritative(resolver, zone, Type.DNSKEY), zone, Type.DNSKEY),
                    DirectQuery.answer(soa, zone, Type.SOA),
                    DirectQuery.answer(DirectQuery.authoritative(resolver, zone, Type.NS), zone, Type.NS),
                    DirectQuery.answer(DirectQuery.authoritative(resolver, zone, Type.MX), zone, Type.MX));
        } catch (IOException e) {
            return ZoneSigningCheck.ServerFacts.unreachable(server.label(), e.getMessage());
        }
    }
}
