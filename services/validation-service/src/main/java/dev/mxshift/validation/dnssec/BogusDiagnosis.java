package dev.mxshift.validation.dnssec;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * After the validator said bogus, finds out why in terms a DNS operator acts on: it fetches the zone's keys, the
 * parent's DS and the answer with their signatures (checking disabled) and checks each link itself with
 * {@link SignatureCheck} (dnsjava's {@link DNSSEC#verify}): DS against keys, the key set's signatures, then the
 * answer's signatures.
 */
final class BogusDiagnosis {

    record Finding(DnssecReason reason, String detail) {
    }

    private final Resolver upstream;

    BogusDiagnosis(Resolver upstream) {
        this.upstream = upstream;
    }

    Finding diagnose(Name name, int type, Instant now) throws IOException {
        Name zone = name;
        RRset keys = null;
        while (keys == null && zone.labels() > 1) {
            keys = rrset(ask(zone, Type.DNSKEY), zone, Type.DNSKEY);
            if (keys == null) {
                zone = new Name(zone, 1);
            }
        }
        if (keys == null) {
            return new Finding(DnssecReason.OTHER, "no DNSKEY found at " + name + " or above");
        }
        List<DNSKEYRecord> dnskeys = new ArrayList<>();
        keys.rrs(false).forEach(r -> dnskeys.add((DNSKEYRecord) r));
        RRset ds = zone.labels() > 1 ? rrset(ask(zone, Type.DS), zone, Type.DS) : null;
        if (ds != null && ds.rrs(false).stream().noneMatch(d -> SignatureCheck.matchesAKey((DSRecord) d, dnskeys))) {
            return new Finding(DnssecReason.DS_MATCHES_NO_KEY, "the DS of " + zone + " at its parent matches none of its "
                    + dnskeys.size() + " DNSKEY records (key tags " + tags(dnskeys) + "); publish the DS of the current key");
        }
        Finding keySignatures = signatures(keys, dnskeys, now, "the DNSKEY set of " + zone);
        if (keySignatures != null) {
            return keySignatures;
        }
        RRset answer = rrset(ask(name, type), name, type);
        if (answer != null) {
            return signatures(answer, dnskeys, now, name + " " + Type.string(type));
        }
        return null;
    }

    /** Null when some signature verifies; otherwise the most telling failure. */
    private static Finding signatures(RRset set, List<DNSKEYRecord> keys, Instant now, String what) {
        SignatureCheck.Failure failure = SignatureCheck.failure(set, keys, now, what);
        return failure == null ? null : new Finding(failure.reason(), failure.detail());
    }

    private Message ask(Name name, int type) throws IOException {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        query.getHeader().setFlag(Flags.CD);
        query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        return upstream.send(query);
    }

    private static RRset rrset(Message message, Name name, int type) {
        for (RRset set : message.getSectionRRsets(Section.ANSWER)) {
            if (set.getName().equals(name) && set.getType() == type) {
                return set;
            }
        }
        return null;
    }

    private static String tags(List<DNSKEYRecord> keys) {
        return keys.stream().map(k -> String.valueOf(k.getFootprint())).toList().toString();
    }
}
