package dev.mxshift.model.event;

import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.MtaStsPolicy;
import dev.mxshift.model.dns.RecordSet;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A domain's MTA-STS as discovery found it: the {@code _mta-sts} TXT record (RFC 8461 section 3.1) exactly as
 * served, so that changing its id is a compare-and-set, and the policy fetched over HTTPS (null when the fetch
 * failed; the TXT alone does not make senders enforce anything).
 */
public record MtaStsSnapshot(RecordSet txt, MtaStsPolicy policy) {

    /** RFC 8461 section 3.1: id is 1 to 32 letters and digits. */
    private static final Pattern ID = Pattern.compile("(?<=^|[;\\s\"])id=([A-Za-z0-9]{1,32})(?=$|[;\\s\"])");

    public MtaStsSnapshot {
        Checks.required(txt, "MtaStsSnapshot", "txt");
        if (!txt.type().equals("TXT") || !txt.owner().startsWith("_mta-sts.")) {
            throw new InvalidValueException("MTA-STS record", txt.toString(), "must be the TXT record at _mta-sts.<domain>");
        }
        id(txt);
    }

    public String id() {
        return id(txt);
    }

    /** The same TXT record with another id, everything else kept as it was. */
    public RecordSet txtWithId(String newId) {
        if (!newId.matches("[A-Za-z0-9]{1,32}")) {
            throw new InvalidValueException("MTA-STS id", newId, "must be 1 to 32 letters and digits (RFC 8461 section 3.1)");
        }
        String rdata = txt.rdata().stream().filter(r -> ID.matcher(r).find()).findFirst().orElseThrow();
        Matcher m = ID.matcher(rdata);
        m.find();
        String replaced = rdata.substring(0, m.start(1)) + newId + rdata.substring(m.end(1));
        return new RecordSet(txt.owner(), txt.type(), txt.ttl(),
                txt.rdata().stream().map(r -> r.equals(rdata) ? replaced : r).toList());
    }

    private static String id(RecordSet txt) {
        String found = null;
        for (String rdata : txt.rdata()) {
            Matcher m = ID.matcher(rdata);
            if (rdata.contains("v=STSv1") && m.find()) {
                if (found != null) {
                    throw new InvalidValueException("MTA-STS record", txt.toString(), "has more than one STSv1 record (RFC 8461 section 3.1)");
                }
                found = m.group(1);
            }
        }
        if (found == null) {
            throw new InvalidValueException("MTA-STS record", txt.toString(), "has no 'v=STSv1; id=...' record");
        }
        return found;
    }
}
