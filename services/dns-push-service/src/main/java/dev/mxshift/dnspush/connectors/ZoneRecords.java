package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.RrSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** dnsjava records of a whole zone as the SPI's record sets ({@link dev.mxshift.connector.ZoneReader}). */
final class ZoneRecords {

    private ZoneRecords() {
    }

    /**
     * Groups the records by owner and type, in the order first seen. The signer's own records (RRSIG, NSEC, NSEC3,
     * NSEC3PARAM) are left out: they are the server's, not the zone owner's. A set's TTL is the lowest of its records
     * (RFC 2181 section 5.2 asks them to be equal).
     */
    static List<RrSet> of(Iterable<Record> records) {
        Map<String, List<Record>> sets = new LinkedHashMap<>();
        for (Record record : records) {
            int type = record.getType();
            if (type == Type.RRSIG || type == Type.NSEC || type == Type.NSEC3 || type == Type.NSEC3PARAM) {
                continue;
            }
            sets.computeIfAbsent(owner(record.getName()) + " " + Type.string(type), k -> new ArrayList<>()).add(record);
        }
        List<RrSet> result = new ArrayList<>();
        for (List<Record> set : sets.values()) {
            List<String> rdata = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            for (Record record : set) {
                String text = record.rdataToString();
                if (!rdata.contains(text)) {
                    rdata.add(text);
                }
                ttl = Math.min(ttl, record.getTTL());
            }
            result.add(new RrSet(owner(set.get(0).getName()), Type.string(set.get(0).getType()), ttl, rdata));
        }
        return result;
    }

    private static String owner(Name name) {
        return name.toString(true).toLowerCase(java.util.Locale.ROOT);
    }
}
