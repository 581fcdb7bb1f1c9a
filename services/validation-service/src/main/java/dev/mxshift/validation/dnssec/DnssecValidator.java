package dev.mxshift.validation.dnssec;

import dev.mxshift.cryptotuning.CryptoTuning;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.OPTRecord;
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
import java.time.Clock;
import java.util.List;

/**
 * mxshift's own DNSSEC validation: dnsjava's {@link ValidatingResolver} (a port of Unbound's validator) over an
 * upstream resolver, from a configured trust anchor (the lab root in tests, the IANA root in production). It asks
 * the upstream with CD set and validates the answers itself. A failure of the upstream is kept apart from bogus
 * data (mail-facts.md: "a SERVFAIL from upstream is not the same thing as bogus; keep the reason").
 */
public final class DnssecValidator {

    public enum Status { SECURE, INSECURE, BOGUS, INDETERMINATE, UPSTREAM_FAILURE }

    /** The status of one answer, its rcode and records, the validator's (or the diagnosis's) sentence, and its code. */
    public record Result(Status status, int rcode, List<Record> answers, String reason, DnssecReason code) {
        public boolean secure() {
            return status == Status.SECURE;
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DnssecValidator.class);
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED_SUNEC = new java.util.concurrent.atomic.AtomicBoolean();

    private final Resolver upstream;
    private final ValidatingResolver validator;
    private final BogusDiagnosis diagnosis;
    private final Clock clock;

    public DnssecValidator(Resolver upstream, String trustAnchors) throws IOException {
        this(upstream, trustAnchors, Clock.systemUTC());
    }

    public DnssecValidator(Resolver upstream, String trustAnchors, Clock clock) throws IOException {
        if (!CryptoTuning.dnssecSignatureVerificationInstalled() && !WARNED_SUNEC.getAndSet(true)) {
            LOG.warn("dnsjava's DNSSEC signatures are verified by the JDK's own providers, several times slower than BouncyCastle;"
                    + " call CryptoTuning.installDnssecSignatureVerification() first in main (decision 0037)");
        }
        if (CommonPool.startsAThreadPerStep()) {
            LOG.warn("the common ForkJoinPool has a single thread, so dnsjava's validator starts a thread for each of its steps;"
                    + " call CommonPool.atLeastTwoThreads() first in main, or run java with -D{}=2", CommonPool.PARALLELISM);
        }
        this.upstream = upstream;
        this.validator = new ValidatingResolver(upstream, clock);
        this.diagnosis = new BogusDiagnosis(upstream);
        this.clock = clock;
        validator.loadTrustAnchors(new ByteArrayInputStream(trustAnchors.getBytes(StandardCharsets.US_ASCII)));
    }

    public Result check(Name name, int type) throws IOException {
        Message reply = validator.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        String reason = reason(reply);
        List<Record> answers = reply.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
        if (reply.getHeader().getFlag(Flags.AD)) {
            return new Result(Status.SECURE, reply.getRcode(), answers, reason, DnssecReason.NONE);
        }
        if (reply.getRcode() == Rcode.SERVFAIL) {
            // Did validation fail, or did the upstream fail to answer at all? Ask it, unvalidated, to tell them apart.
            Message raw = Message.newQuery(Record.newRecord(name, type, DClass.IN));
            raw.getHeader().setFlag(Flags.CD);
            Message unvalidated = upstream.send(raw);
            if (unvalidated.getRcode() == Rcode.SERVFAIL) {
                return new Result(Status.UPSTREAM_FAILURE, reply.getRcode(), answers,
                        "the upstream resolver answers SERVFAIL even with checking disabled: " + reason, DnssecReason.UPSTREAM_FAILURE);
            }
            BogusDiagnosis.Finding finding = diagnosis.diagnose(name, type, clock.instant());
            return finding == null ? new Result(Status.BOGUS, reply.getRcode(), answers, reason, DnssecReason.OTHER)
                    : new Result(Status.BOGUS, reply.getRcode(), answers, finding.detail(), finding.reason());
        }
        if (extendedError(reply) == ExtendedErrorCodeOption.DNSSEC_INDETERMINATE) {
            return new Result(Status.INDETERMINATE, reply.getRcode(), answers, reason, DnssecReason.NO_TRUST_ANCHOR);
        }
        DnssecReason code = reason.toLowerCase(java.util.Locale.ROOT).contains("algorithm") ? DnssecReason.UNSUPPORTED_ALGORITHM
                : DnssecReason.NO_DS;
        return new Result(Status.INSECURE, reply.getRcode(), answers, reason, code);
    }

    private static int extendedError(Message reply) {
        OPTRecord opt = reply.getOPT();
        if (opt != null) {
            for (EDNSOption option : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
                return ((ExtendedErrorCodeOption) option).getErrorCode();
            }
        }
        return -1;
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
