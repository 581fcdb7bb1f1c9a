package dev.mxshift.discovery.dns;

import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.util.List;

/**
 * One DNS answer as discovery keeps it: the question, the response code, the answer section, whether the server
 * said it was authoritative, which server answered, after how many attempts, and the extended DNS error
 * (RFC 8914) when the server gave one. {@code authorityExpected} is set when the question went straight to an
 * authoritative server, whose answer then must carry AA. {@code authority} is the authority section: where a server
 * without the zone points (a referral's NS set), which is how a lame delegation's servers are named.
 */
public record DnsAnswer(Name name, int type, int rcode, List<Record> records, boolean authoritative,
                        boolean authorityExpected, String server, int attempts, String extendedError, List<Record> authority) {

    public DnsAnswer {
        records = List.copyOf(records);
        extendedError = extendedError == null ? "" : extendedError;
        authority = authority == null ? List.of() : List.copyOf(authority);
    }

    public DnsAnswer(Name name, int type, int rcode, List<Record> records, boolean authoritative, boolean authorityExpected,
                     String server, int attempts, String extendedError) {
        this(name, type, rcode, records, authoritative, authorityExpected, server, attempts, extendedError, List.of());
    }

    /** The records of the asked type (an answer may also hold the CNAME chain that led there). */
    public List<Record> ofType(int wanted) {
        return records.stream().filter(r -> r.getType() == wanted).toList();
    }

    public List<Record> ofAskedType() {
        return ofType(type);
    }

    public boolean noError() {
        return rcode == Rcode.NOERROR;
    }

    /** An authoritative server answered without authority (a referral, or an answer from cache): it does not serve the name. */
    public boolean lacksAuthority() {
        return authorityExpected && !authoritative && (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN);
    }

    public String describe() {
        return name + "/" + Type.string(type) + " from " + server + ": " + Rcode.string(rcode)
                + (lacksAuthority() ? " without authority" : "")
                + (extendedError.isEmpty() ? "" : " (" + extendedError + ")")
                + (attempts > 1 ? " after " + attempts + " attempts" : "");
    }
}
