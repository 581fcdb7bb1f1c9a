package dev.mxshift.discovery;

import dev.mxshift.discovery.dns.DnsAnswer;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

import java.util.List;

/** One query's outcome: the answer, or why there was none after every attempt. Exactly one is set. */
public record Lookup(DnsAnswer answer, String failure) {

    public Lookup {
        if ((answer == null) == (failure == null)) {
            throw new IllegalArgumentException("a lookup has an answer or a failure, not both or neither");
        }
    }

    public static Lookup of(DnsAnswer answer) {
        return new Lookup(answer, null);
    }

    public static Lookup failed(String why) {
        return new Lookup(null, why);
    }

    public boolean answered() {
        return answer != null;
    }

    /** The records of the asked type when the server answered NOERROR; empty otherwise. */
    public List<Record> records() {
        return answer != null && answer.rcode() == Rcode.NOERROR ? answer.ofAskedType() : List.of();
    }

    public boolean rcode(int rcode) {
        return answer != null && answer.rcode() == rcode;
    }

    public String describe() {
        return answer != null ? answer.describe() : failure;
    }
}
