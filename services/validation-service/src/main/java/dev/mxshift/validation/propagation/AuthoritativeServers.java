package dev.mxshift.validation.propagation;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A zone's authoritative servers, as the world finds them: its NS names, resolved through the resolver. DNS puts
 * them on port 53; where a server listens elsewhere (the lab's), {@code ports} maps its address to its port.
 */
public final class AuthoritativeServers {

    /** A name server of the zone and where to ask it. */
    public record Server(Name name, InetSocketAddress address) {
        public String label() {
            return name.toString(true) + " (" + address.getAddress().getHostAddress() + ":" + address.getPort() + ")";
        }
    }

    private final Resolver resolver;
    private final Map<String, Integer> ports;

    public AuthoritativeServers(Resolver resolver, Map<String, Integer> ports) {
        this.resolver = resolver;
        this.ports = Map.copyOf(ports);
    }

    public List<Server> of(Name zone) throws IOException {
        List<Server> servers = new ArrayList<>();
        for (Record ns : answers(zone, Type.NS)) {
            Name host = ((NSRecord) ns).getTarget();
            for (Record a : answers(host, Type.A)) {
                String ip = ((ARecord) a).getAddress().getHostAddress();
                servers.add(new Server(host, new InetSocketAddress(ip, ports.getOrDefault(ip, 53))));
            }
        }
        return servers;
    }

    private List<Record> answers(Name name, int type) throws IOException {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        // Checking disabled: the servers of a zone with broken DNSSEC must still be found, to be asked why.
        query.getHeader().setFlag(Flags.CD);
        Message reply = resolver.send(query);
        return reply.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    }
}
