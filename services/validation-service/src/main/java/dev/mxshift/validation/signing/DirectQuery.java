package dev.mxshift.validation.signing;

import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One question to one server, the way the signing checks ask: over TCP (a DNSKEY set with its signatures outgrows
 * UDP, and the registries that scan CDS ask over TCP too), with DO so that signatures come along, and without
 * recursion when the server is authoritative.
 */
final class DirectQuery {

    private DirectQuery() {
    }

    static Resolver tcp(InetSocketAddress address, Duration timeout) {
        SimpleResolver resolver = new SimpleResolver(address);
        resolver.setTCP(true);
        resolver.setTimeout(timeout);
        return resolver;
    }

    /** Asks an authoritative server: no recursion, DO set. */
    static Message authoritative(Resolver server, Name name, int type) throws IOException {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        query.getHeader().unsetFlag(Flags.RD);
        query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        return server.send(query);
    }

    /** Asks a resolver with DO, and with CD when {@code checkingDisabled}: the data even where it does not validate. */
    static Message recursive(Resolver resolver, Name name, int type, boolean checkingDisabled) throws IOException {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        if (checkingDisabled) {
            query.getHeader().setFlag(Flags.CD);
        }
        query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        return resolver.send(query);
    }

    /** The RRset of that name and type in the answer section, signatures included; null when there is none. */
    static RRset answer(Message reply, Name name, int type) {
        for (RRset set : reply.getSectionRRsets(Section.ANSWER)) {
            if (set.getName().equals(name) && set.getType() == type) {
                return set;
            }
        }
        return null;
    }

    /** The RRset of that name and type in the authority section (a referral's NS); null when there is none. */
    static RRset authority(Message reply, Name name, int type) {
        for (RRset set : reply.getSectionRRsets(Section.AUTHORITY)) {
            if (set.getName().equals(name) && set.getType() == type) {
                return set;
            }
        }
        return null;
    }

    /** The first extended DNS error of the reply (RFC 8914), or null. */
    static ExtendedErrorCodeOption extendedError(Message reply) {
        OPTRecord opt = reply.getOPT();
        if (opt != null) {
            for (EDNSOption option : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
                return (ExtendedErrorCodeOption) option;
            }
        }
        return null;
    }
}
