package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.ZoneReader;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Any server that takes RFC 2136 dynamic updates signed with TSIG (BIND, PowerDNS with DNS update enabled, Knot):
 * the write is one UPDATE whose prerequisites (RFC 2136 section 2.4) are the expected-before records exactly, or
 * that the set does not exist, so the server itself refuses it when someone edited the set: a true
 * compare-and-set. Reads are direct queries to the same server over TCP.
 *
 * <p>Settings: {@code server} ({@code IP:PORT}), {@code tsig-key-name}, {@code tsig-algorithm} (default
 * {@code hmac-sha256}), {@code tsig-secret} (a secret reference).
 */
public final class Rfc2136Connector extends BuiltInConnector implements ZoneReader {

    public static final String TYPE = "rfc2136";

    /** Finds this connector by its {@code type}. */
    public static final class Factory extends BuiltInConnectorFactory {
        public Factory() {
            super(TYPE, config -> new Rfc2136Connector(config.id(), server(config), tsig(config), timeout(config, 10)));
        }

        /** {@code tsig-key-name}, {@code tsig-algorithm} (default {@code hmac-sha256}) and {@code tsig-secret}. */
        private static TSIG tsig(ConnectorConfig config) throws ConnectorException {
            String algorithm = config.optional("tsig-algorithm", "hmac-sha256");
            return new TSIG(TSIG.algorithmToName(algorithm.endsWith(".") ? algorithm : algorithm + "."),
                    config.required("tsig-key-name"), config.secret("tsig-secret"));
        }
    }

    private final InetSocketAddress server;
    private final SimpleResolver resolver;
    private final boolean signed;
    private final TSIG tsig;
    private final Duration timeout;

    public Rfc2136Connector(String id, InetSocketAddress server, TSIG tsig, Duration timeout) {
        super(id);
        this.server = server;
        this.signed = tsig != null;
        this.tsig = tsig;
        this.timeout = timeout;
        this.resolver = new SimpleResolver(server);
        resolver.setTCP(true);
        resolver.setTSIGKey(tsig);
        resolver.setTimeout(timeout);
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(Set.of("MX", "TXT", "TLSA", "A", "AAAA", "CNAME", "NS"), false, false, true, true);
    }

    @Override
    public Optional<RrSet> read(String zone, String owner, String type) throws ConnectorException {
        Message query = Message.newQuery(Record.newRecord(name(owner), Type.value(type), DClass.IN));
        query.getHeader().unsetFlag(Flags.RD);
        Message reply = send(query, "read " + owner + " " + type);
        int rcode = reply.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return Optional.empty();
        }
        check(rcode, reply, "read " + owner + " " + type);
        if (!reply.getHeader().getFlag(Flags.AA)) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + server + " is not authoritative for " + zone);
        }
        List<String> rdata = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record record : reply.getSection(Section.ANSWER)) {
            if (record.getType() == Type.value(type) && record.getName().equals(name(owner))) {
                rdata.add(record.rdataToString());
                ttl = Math.min(ttl, record.getTTL());
            }
        }
        return rdata.isEmpty() ? Optional.empty() : Optional.of(new RrSet(owner, type, ttl, rdata));
    }

    /**
     * The whole zone by AXFR (RFC 5936) from the same server, signed with the same TSIG key: a server that allows
     * transfers only to the key (BIND's {@code allow-transfer { key ...; }}) answers it, and every message of the
     * transfer must verify (dnsjava checks each one, RFC 8945 section 5.3.1).
     */
    @Override
    public List<RrSet> readZone(String zone) throws ConnectorException {
        ZoneTransferIn transfer = ZoneTransferIn.newAXFR(name(zone), server, tsig);
        transfer.setTimeout(timeout);
        try {
            transfer.run();
        } catch (ZoneTransferException e) {
            // REFUSED or NOTAUTH: the server does not give this zone to this key; anything else names what went wrong.
            String why = e.getMessage() == null ? "" : e.getMessage();
            boolean refused = why.contains("REFUSED") || why.contains("NOTAUTH") || why.contains("BADKEY") || why.contains("BADSIG");
            boolean unknown = why.contains("NOTAUTH") && !signed || why.contains("NXDOMAIN");
            throw new ConnectorException(unknown ? ConnectorException.Kind.PERMANENT : refused ? ConnectorException.Kind.AUTHENTICATION
                    : ConnectorException.Kind.PERMANENT, id + ": the transfer of " + zone + " from " + server + " failed: " + why
                    + (refused ? " (the server must allow AXFR of the zone to the TSIG key)" : ""), e);
        } catch (IOException e) {
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": the transfer of " + zone + " from " + server
                    + " failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        // An AXFR ends with the SOA it began with; dnsjava keeps both.
        List<Record> records = new ArrayList<>(transfer.getAXFR());
        return ZoneRecords.of(records);
    }

    @Override
    public ApplyReceipt apply(RrSetChange change) throws ConnectorException {
        Update update = new Update(name(change.zone()));
        Name owner = name(change.owner());
        int type = Type.value(change.type());
        try {
            if (change.expectedBefore() == null) {
                update.absent(owner, type);
            } else {
                for (String rdata : change.expectedBefore().rdata()) {
                    update.present(Record.fromString(owner, type, DClass.IN, 0, rdata, Name.root));
                }
            }
            update.delete(owner, type);
            if (change.target() != null) {
                for (String rdata : change.target().rdata()) {
                    update.add(Record.fromString(owner, type, DClass.IN, change.target().ttl(), rdata, Name.root));
                }
            }
        } catch (IOException e) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": a record of " + change.owner() + " does not parse: " + e.getMessage());
        }
        Message reply = send(update, "update " + change.owner() + " " + change.type());
        int rcode = reply.getRcode();
        if (rcode == Rcode.NXRRSET || rcode == Rcode.YXRRSET || rcode == Rcode.NXDOMAIN) {
            throw new ConnectorException(ConnectorException.Kind.CONFLICT, id + ": the server refused the update because "
                    + change.owner() + " " + change.type() + " is not what was expected (" + Rcode.string(rcode) + ")");
        }
        check(rcode, reply, "update " + change.owner() + " " + change.type());
        // A server that signs inline (BIND's inline-signing, dnssec-policy) serves the change once it has signed it,
        // a moment later: wait for that, briefly, so a read after the write sees it.
        boolean served = awaitServed(change);
        return new ApplyReceipt(id + " (" + server.getAddress().getHostAddress() + ":" + server.getPort() + ") took the update"
                + (served ? "" : ", not served yet after " + SERVED_WAIT.toMillis() + " ms") + "; SOA serial now " + serial(change.zone()));
    }

    private static final Duration SERVED_WAIT = Duration.ofSeconds(5);

    private boolean awaitServed(RrSetChange change) throws ConnectorException {
        long deadline = System.nanoTime() + SERVED_WAIT.toNanos();
        while (true) {
            Optional<RrSet> now = read(change.zone(), change.owner(), change.type());
            if (change.target() == null ? now.isEmpty() : now.isPresent() && change.target().sameAs(now.get())) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private String serial(String zone) {
        try {
            Message query = Message.newQuery(Record.newRecord(name(zone), Type.SOA, DClass.IN));
            query.getHeader().unsetFlag(Flags.RD);
            for (Record record : send(query, "read the SOA of " + zone).getSection(Section.ANSWER)) {
                if (record instanceof SOARecord soa) {
                    return Long.toString(soa.getSerial());
                }
            }
        } catch (ConnectorException e) {
            // evidence only
        }
        return "unknown";
    }

    private Message send(Message message, String what) throws ConnectorException {
        try {
            Message reply = resolver.send(message);
            // With a key, every answer must carry a TSIG that verifies (RFC 8945 section 5.3): one without, or with one
            // that does not verify, may be anyone's, such as a forged NOERROR to an UPDATE or a forged record set read.
            if (signed && !reply.isVerified()) {
                TSIGRecord tsig = reply.getTSIG();
                String why = tsig == null ? "carries no TSIG"
                        : tsig.getError() != Rcode.NOERROR ? "says the server refused the key (TSIG " + Rcode.TSIGstring(tsig.getError()) + ", "
                        + Rcode.string(reply.getRcode()) + ")" : "has a TSIG that does not verify";
                throw new ConnectorException(ConnectorException.Kind.AUTHENTICATION, id + ": " + what + ": the answer " + why
                        + "; it is not trusted (check the key's name, algorithm and secret, and that the answer comes from " + server + ")");
            }
            return reply;
        } catch (IOException e) {
            // No answer in time: an UPDATE may have been applied all the same.
            throw ConnectorException.outcomeUnknown(id + ": " + what + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
    }

    private void check(int rcode, Message reply, String what) throws ConnectorException {
        if (rcode == Rcode.NOERROR) {
            return;
        }
        boolean tsigRefused = reply.getTSIG() != null && reply.getTSIG().getError() != Rcode.NOERROR;
        // NOTAUTH is both "bad TSIG" (RFC 8945) and "not authoritative for the zone" (RFC 2136): the TSIG error tells.
        ConnectorException.Kind kind = switch (rcode) {
            case Rcode.REFUSED -> ConnectorException.Kind.AUTHENTICATION;
            case Rcode.NOTAUTH -> tsigRefused ? ConnectorException.Kind.AUTHENTICATION : ConnectorException.Kind.PERMANENT;
            case Rcode.SERVFAIL -> ConnectorException.Kind.RETRYABLE;
            default -> ConnectorException.Kind.PERMANENT;
        };
        String tsigError = tsigRefused ? ", TSIG " + Rcode.TSIGstring(reply.getTSIG().getError()) : "";
        throw new ConnectorException(kind, id + ": " + what + ": " + Rcode.string(rcode) + tsigError);
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.toLowerCase(Locale.ROOT) + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a domain name", e);
        }
    }
}
