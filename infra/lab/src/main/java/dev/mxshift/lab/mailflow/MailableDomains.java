package dev.mxshift.lab.mailflow;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Which domains a DANE-validating sender can deliver to at all, asked before the run the way the sender itself asks:
 * through its own validating resolver. A domain with a null MX (RFC 7505) or no name (NXDOMAIN) bounces, and one whose
 * answers do not validate (SERVFAIL: a bogus DNSSEC chain, a lame delegation) defers until it bounces, whatever mxshift
 * does; those are reported apart, by design, never counted as mail lost.
 */
public final class MailableDomains {

    /** Why a domain is not mailed; {@code null} reason: mailable. */
    public record Verdict(String domain, String reason) {

        public boolean mailable() {
            return reason == null;
        }
    }

    private final SimpleResolver resolver;

    public MailableDomains(String address, int port) {
        try {
            this.resolver = new SimpleResolver(new InetSocketAddress(address, port));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad resolver " + address + ":" + port, e);
        }
        resolver.setEDNS(0, 1232, Flags.DO, List.of());
        resolver.setTimeout(Duration.ofSeconds(5));
    }

    /** The sender's own resolver, named in endpoints.json's {@code mailFlow} section. */
    public static MailableDomains fromEndpoints(JsonNode endpoints) {
        JsonNode resolver = endpoints.path("mailFlow").path("senderResolver");
        if (resolver.isMissingNode()) {
            throw new IllegalArgumentException("endpoints.json has no mailFlow.senderResolver: a lab from before the mail sender; run lab up again");
        }
        return new MailableDomains(resolver.path("address").asString(), resolver.path("port").asInt());
    }

    /** Every domain's verdict, in the order given. */
    public List<Verdict> check(List<String> domains) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Verdict>> futures = new ArrayList<>();
            for (String d : domains) {
                futures.add(pool.submit(() -> check(d)));
            }
            List<Verdict> verdicts = new ArrayList<>();
            for (Future<Verdict> f : futures) {
                verdicts.add(f.get());
            }
            return verdicts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the sender's resolver", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not ask the sender's resolver: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Verdict check(String domain) throws IOException {
        Message mx = ask(Name.fromString(domain, Name.root), Type.MX);
        Map<String, Integer> hosts = new LinkedHashMap<>();
        for (Record r : mx.getSection(Section.ANSWER)) {
            if (r instanceof MXRecord m && !m.getTarget().equals(Name.root)) {
                Message a = ask(m.getTarget(), Type.A);
                boolean address = a.getSection(Section.ANSWER).stream().anyMatch(x -> x instanceof ARecord);
                hosts.put(m.getTarget().toString(true), a.getRcode() != Rcode.NOERROR ? a.getRcode() : address ? Rcode.NOERROR : -1);
            }
        }
        boolean nullMx = mx.getSection(Section.ANSWER).stream().anyMatch(r -> r instanceof MXRecord m && m.getTarget().equals(Name.root));
        return new Verdict(domain, decide(mx.getRcode(), nullMx, hosts));
    }

    private Message ask(Name name, int type) throws IOException {
        return resolver.send(Message.newQuery(Record.newRecord(name, type, org.xbill.DNS.DClass.IN)));
    }

    /**
     * Whether a sender can deliver, from its resolver's MX answer ({@code rcode}, a null MX among it) and, per MX host, the
     * answer for its address ({@link Rcode#NOERROR} with an address, -1 for none, else the rcode). Null: mailable.
     */
    static String decide(int rcode, boolean nullMx, Map<String, Integer> hosts) {
        if (rcode == Rcode.SERVFAIL) {
            return "SERVFAIL from the validating resolver (bogus DNSSEC or a lame delegation): deferred, then bounced";
        }
        if (rcode == Rcode.NXDOMAIN) {
            return "NXDOMAIN: bounced";
        }
        if (rcode != Rcode.NOERROR) {
            return Rcode.string(rcode) + " for its MX: not deliverable";
        }
        if (nullMx) {
            return "null MX (RFC 7505): accepts no mail, bounced";
        }
        if (hosts.isEmpty()) {
            return "no MX: a sender falls back to an address record the lab does not give it; bounced";
        }
        if (hosts.values().stream().noneMatch(r -> r == Rcode.NOERROR)) {
            return "no MX host has an address (" + hosts + "): not deliverable";
        }
        return null;
    }
}
