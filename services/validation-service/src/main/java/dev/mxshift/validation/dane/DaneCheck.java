package dev.mxshift.validation.dane;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TlsaRecord;
import dev.mxshift.validation.dnssec.DnssecValidator;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * SMTP DANE for one MX host, as a sending MTA does it (RFC 7672): the host's address records must be secure (by
 * mxshift's own validation) before TLSA is looked up at {@code _PORT._tcp.<host>}; a bogus TLSA answer or a failed
 * lookup is its own verdict; otherwise connect, EHLO, STARTTLS, and match the presented chain
 * ({@link DaneMatcher}). Warns when one usable record is all there is: a key rollover would break DANE.
 */
public final class DaneCheck {

    /** The verdict, the address that was probed, the TLSA records seen, and a rollover warning if any. */
    public record Report(DomainName host, DaneVerdict verdict, String probed, List<TlsaRecord> tlsa, String warning) {
        public String inPosttlsFingersWords() {
            return DaneVerdict.inPosttlsFingersWords(verdict);
        }
    }

    private final DnssecValidator validator;
    private final int port;
    private final Duration timeout;
    private final Clock clock;

    public DaneCheck(DnssecValidator validator, int port, Duration timeout, Clock clock) {
        this.validator = validator;
        this.port = port;
        this.timeout = timeout;
        this.clock = clock;
    }

    public Report check(DomainName host) throws IOException {
        Name name = Name.fromConstantString(host.value() + ".");
        DnssecValidator.Result address = validator.check(name, Type.A);
        switch (address.status()) {
            case BOGUS, UPSTREAM_FAILURE -> {
                return new Report(host, new DaneVerdict.TlsaLookupError("the address of " + host + " cannot be looked up ("
                        + address.status() + ": " + address.reason() + ")"), "", List.of(), "");
            }
            case INSECURE, INDETERMINATE -> {
                return new Report(host, new DaneVerdict.HostInsecure(host + "'s address records are " + address.status()
                        + " (" + address.reason() + "); senders do not look up its TLSA"), "", List.of(), "");
            }
            default -> {
            }
        }
        List<Record> addresses = address.answers();
        if (address.rcode() != Rcode.NOERROR || addresses.isEmpty()) {
            return new Report(host, new DaneVerdict.TlsaLookupError(host + " has no address record ("
                    + Rcode.string(address.rcode()) + ")"), "", List.of(), "");
        }
        DnssecValidator.Result tlsaAnswer = validator.check(Name.fromConstantString("_" + port + "._tcp." + host.value() + "."), Type.TLSA);
        switch (tlsaAnswer.status()) {
            case BOGUS -> {
                return new Report(host, new DaneVerdict.TlsaBogus("the TLSA records of " + host + " are bogus (" + tlsaAnswer.code()
                        + ": " + tlsaAnswer.reason() + ")"), "", List.of(), "");
            }
            case UPSTREAM_FAILURE -> {
                return new Report(host, new DaneVerdict.TlsaLookupError("the TLSA lookup for " + host + " failed: "
                        + tlsaAnswer.reason()), "", List.of(), "");
            }
            case INSECURE, INDETERMINATE -> {
                return new Report(host, new DaneVerdict.NoTlsa("the TLSA answer for " + host + " is not secure ("
                        + tlsaAnswer.reason() + "); it cannot be used"), "", List.of(), "");
            }
            default -> {
            }
        }
        List<TlsaRecord> tlsa = new ArrayList<>();
        for (Record record : tlsaAnswer.answers()) {
            TLSARecord r = (TLSARecord) record;
            tlsa.add(TlsaRecord.of(r.getCertificateUsage(), r.getSelector(), r.getMatchingType(), r.getCertificateAssociationData()));
        }
        if (tlsa.isEmpty()) {
            return new Report(host, new DaneVerdict.NoTlsa(host + " is secure and provably publishes no TLSA at _" + port + "._tcp"),
                    "", List.of(), "");
        }
        String ip = ((ARecord) addresses.get(0)).getAddress().getHostAddress();
        SmtpStartTls.Session session = SmtpStartTls.probe(new InetSocketAddress(ip, port), host.value(), "probe.mxshift.invalid", timeout);
        DaneVerdict verdict = DaneMatcher.match(tlsa, session.chain(), List.of(host), clock.instant());
        return new Report(host, verdict, ip + ":" + port, tlsa, rolloverWarning(tlsa));
    }

    /**
     * RFC 7671 section 8.1 / RFC 7672 section 3.1.4: with a single usable record, the next key change breaks DANE
     * until the new record is published; two usable records (3 1 1 + 3 1 1, or 3 1 1 + 2 1 1) ride it out.
     */
    static String rolloverWarning(List<TlsaRecord> tlsa) {
        long usable = tlsa.stream().filter(TlsaRecord::isUsableForSmtp).count();
        return usable >= 2 ? "" : "only " + usable + " usable TLSA record: a certificate or key change breaks DANE until"
                + " a second record is published (publish 3 1 1 for the next key, or 2 1 1 for the issuer, beside it)";
    }
}
