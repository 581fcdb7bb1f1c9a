package dev.mxshift.lab;

import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the reference tools say, for tests that must agree with them: Unbound (the reference validator) and
 * posttls-finger at Postfix's {@code dane} level (the reference SMTP DANE client). Used by the lab's own test and
 * by the services' agreement tests, in the same run as what they compare.
 */
public final class ReferenceTools {

    /** Unbound's answer, with the DNSSEC status it carries. */
    public record Answer(String verdict, List<Record> records) {
    }

    private ReferenceTools() {
    }

    /**
     * secure / insecure / servfail / secure-nxdomain / nxdomain / secure-nodata / nodata, from a query with DO
     * and AD set, and the answer records of the asked type.
     */
    public static Answer unbound(String address, int port, String name, int type) throws IOException {
        SimpleResolver unbound = new SimpleResolver(new InetSocketAddress(address, port));
        unbound.setTimeout(Duration.ofSeconds(20));
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN));
        query.getHeader().setFlag(Flags.AD);
        query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        Message reply = unbound.send(query);
        boolean ad = reply.getHeader().getFlag(Flags.AD);
        List<Record> records = reply.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
        String verdict;
        if (reply.getRcode() == Rcode.SERVFAIL) {
            verdict = "servfail";
        } else if (reply.getRcode() == Rcode.NXDOMAIN) {
            verdict = ad ? "secure-nxdomain" : "nxdomain";
        } else if (records.isEmpty()) {
            verdict = ad ? "secure-nodata" : "nodata";
        } else {
            verdict = ad ? "secure" : "insecure";
        }
        return new Answer(verdict, records);
    }

    /**
     * verified / untrusted / lookup-error, as posttls-finger's {@code dane} level reports a connection to
     * {@code [host]:port}; it resolves through the lab's resolv.conf, bound over /etc/resolv.conf in a private mount
     * namespace (root needed).
     */
    public static String posttlsFinger(Path resolvConf, String host, int port) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("unshare", "-m", "sh", "-c",
                "mount --bind '" + resolvConf + "' /etc/resolv.conf && exec posttls-finger -c -l dane '[" + host + "]:" + port + "'")
                .redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timeout";
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (output.contains("Verified TLS connection")) {
            return "verified";
        }
        if (output.contains("TLSA lookup error")) {
            return "lookup-error";
        }
        if (output.contains("Untrusted TLS connection")) {
            return "untrusted";
        }
        return "no-tls: " + output.strip();
    }
}
