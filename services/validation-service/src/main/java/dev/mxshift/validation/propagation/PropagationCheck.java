package dev.mxshift.validation.propagation;

import dev.mxshift.model.dns.RecordSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Asks every authoritative server of a zone directly (no recursion, DO set) for one record set, its signatures,
 * the zone's keys and the SOA, and reports what each served. Whether that is good enough is {@link StepVerifier}'s
 * decision.
 */
public final class PropagationCheck {

    private final AuthoritativeServers servers;
    private final Duration timeout;
    private final Clock clock;

    public PropagationCheck(AuthoritativeServers servers, Duration timeout, Clock clock) {
        this.servers = servers;
        this.timeout = timeout;
        this.clock = clock;
    }

    public List<ServerAnswer> ask(Name zone, Name owner, int type) throws IOException {
        List<ServerAnswer> answers = new ArrayList<>();
        List<AuthoritativeServers.Server> found = servers.of(zone);
        if (found.isEmpty()) {
            throw new IOException("no authoritative server found for " + zone + " (no NS, or its names do not resolve)");
        }
        for (AuthoritativeServers.Server server : found) {
            answers.add(askOne(server, zone, owner, type));
        }
        return answers;
    }

    private ServerAnswer askOne(AuthoritativeServers.Server server, Name zone, Name owner, int type) {
        SimpleResolver resolver = new SimpleResolver(server.address());
        resolver.setTimeout(timeout);
        try {
            Message reply = resolver.send(query(owner, type));
            RRset set = rrset(reply, owner, type);
            Message soaReply = resolver.send(query(zone, Type.SOA));
            RRset soa = rrset(soaReply, zone, Type.SOA);
            long serial = soa == null ? -1 : ((SOARecord) soa.first()).getSerial();
            if (set == null) {
                return new ServerAnswer(server.label(), null, reply.getHeader().getFlag(Flags.AA), null, "", serial, null);
            }
            RRset keys = rrset(resolver.send(query(zone, Type.DNSKEY)), zone, Type.DNSKEY);
            Boolean valid = null;
            String detail = "";
            if (keys != null) {
                valid = false;
                detail = set.sigs().isEmpty() ? "no RRSIG" : "no signature verifies with the zone's keys";
                for (RRSIGRecord sig : set.sigs()) {
                    for (Record key : keys.rrs(false)) {
                        DNSKEYRecord dnskey = (DNSKEYRecord) key;
                        if (dnskey.getFootprint() != sig.getFootprint()) {
                            continue;
                        }
                        try {
                            DNSSEC.verify(set, sig, dnskey, clock.instant());
                            valid = true;
                            detail = "signed by key " + dnskey.getFootprint() + " until " + sig.getExpire();
                        } catch (DNSSEC.DNSSECException e) {
                            detail = "key " + dnskey.getFootprint() + ": " + e.getMessage();
                        }
                    }
                }
            }
            return new ServerAnswer(server.label(), recordSet(set), reply.getHeader().getFlag(Flags.AA), valid, detail, serial, null);
        } catch (IOException e) {
            return new ServerAnswer(server.label(), null, false, null, "", -1, server.label() + " did not answer: " + e.getMessage());
        }
    }

    private static Message query(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        query.getHeader().unsetFlag(Flags.RD);
        query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        return query;
    }

    private static RRset rrset(Message reply, Name name, int type) {
        for (RRset set : reply.getSectionRRsets(Section.ANSWER)) {
            if (set.getName().equals(name) && set.getType() == type) {
                return set;
            }
        }
        return null;
    }

    /** An RRset in the model's presentation form (owner lower case without the dot, data sorted). */
    static RecordSet recordSet(RRset set) {
        List<String> rdata = new ArrayList<>();
        set.rrs(false).forEach(r -> rdata.add(r.rdataToString()));
        return new RecordSet(set.getName().toString(true).toLowerCase(Locale.ROOT), Type.string(set.getType()), set.getTTL(),
                rdata.stream().distinct().toList());
    }
}
