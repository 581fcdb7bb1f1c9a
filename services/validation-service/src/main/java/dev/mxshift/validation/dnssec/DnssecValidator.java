package dev.mxshift.validation.dnssec;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * mxshift's own DNSSEC validation: dnsjava's {@link ValidatingResolver} (a port of Unbound's validator) over an
 * upstream resolver, from a configured trust anchor (the lab root in tests, the IANA root in production). It asks
 * the upstream with CD set and validates the answers itself. A failure of the upstream is kept apart from bogus
 * data (mail-facts.md: "a SERVFAIL from upstream is not the same thing as bogus; keep the reason").
 */
public final class DnssecValidator {

    public enum Status { SECURE, INSECURE, BOGUS, UPSTREAM_FAILURE }

    /** The status of one answer, its rcode and records, and the validator's reason when there is one. */
    public record Result(Status status, int rcode, List<Record> answers, String reason) {
    }

    private final Resolver upstream;
    private final ValidatingResolver validator;

    public DnssecValidator(Resolver upstream, String trustAnchors) throws IOException {
        this.upstream = upstream;
        this.validator = new ValidatingResolver(upstream);
        validator.loadTrustAnchors(new ByteArrayInputStream(trustAnchors.getBytes(StandardCharsets.US_ASCII)));
    }

    public Result check(Name name, int type) throws IOException {
        Message reply = validator.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        String reason = reason(reply);
        List<Record> answers = reply.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
        if (reply.getHeader().getFlag(Flags.AD)) {
            return new Result(Status.SECURE, reply.getRcode(), answers, reason);
        }
        if (reply.getRcode() == Rcode.SERVFAIL) {
            // Did validation fail, or did the upstream fail to answer at all? Ask it, unvalidated, to tell them apart.
            Message raw = Message.newQuery(Record.newRecord(name, type, DClass.IN));
            raw.getHeader().setFlag(Flags.CD);
            Message unvalidated = upstream.send(raw);
            Status status = unvalidated.getRcode() == Rcode.SERVFAIL ? Status.UPSTREAM_FAILURE : Status.BOGUS;
            return new Result(status, reply.getRcode(), answers, reason);
        }
        return new Result(Status.INSECURE, reply.getRcode(), answers, reason);
    }

    private static String reason(Message reply) {
        for (RRset set : reply.getSectionRRsets(Section.ADDITIONAL)) {
            if (set.getName().equals(Name.root) && set.getType() == org.xbill.DNS.Type.TXT
                    && set.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                return String.join(" ", ((TXTRecord) set.first()).getStrings());
            }
        }
        return "";
    }
}
