package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.Denial;
import dev.mxshift.connector.ZoneReader;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.SigningKey;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneSigning;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BIND 9.18: records through RFC 2136 (an {@link Rfc2136Connector} with the same settings does every read and write),
 * and a zone's DNSSEC through BIND's own {@code dnssec-policy}, switched on and off over the control channel with
 * {@code rndc}. RFC 2136 cannot change a zone's signing; named signs, re-signs and rolls keys by itself once a zone
 * has a policy, so the connector's part is only to give the zone that policy and read back what named serves.
 *
 * <p>What it needs, and why:
 * <ul>
 *   <li>{@code rndc} on the path and an {@code rndc.conf} (setting {@code rndc-conf}) whose key may use the server's
 *       {@code controls} channel: {@code rndc showzone}, {@code zonestatus}, {@code modzone}, {@code reconfig} and
 *       {@code dnssec -checkds}. The file holds a secret; it is named by its path and never read by mxshift.</li>
 *   <li>{@code allow-new-zones yes} in named's options, and zones that were added with {@code rndc addzone} (named's
 *       new-zone database). {@code rndc modzone} of a zone written in named.conf lasts only until the next reconfig
 *       or restart, which would turn a signed zone whose DS is at the parent back into an unsigned one: bogus
 *       (invariant 6). So such a zone is refused ({@code zonestatus} says "reconfigurable via modzone: no"); sign it
 *       by putting {@code dnssec-policy} in named.conf.</li>
 *   <li>Two policies defined in named.conf, named by the settings {@code dnssec-policy} (default {@code mxshift}; NSEC)
 *       and {@code dnssec-policy-nsec3} (default {@code mxshift-nsec3}; {@code nsec3param iterations 0 optout no
 *       salt-length 0}, RFC 9276), each with one ECDSAP256SHA256 CSK. A policy with no keys must not be defined:
 *       named 9.18.49 accepts it in named-checkconf and then aborts at reconfig (kaspconf.c INSIST); going unsigned
 *       uses the built-in {@code insecure} policy.</li>
 * </ul>
 *
 * <p>Found against named 9.18.49: {@code rndc modzone} records the new configuration, but the zone is signed only
 * after {@code rndc reconfig}; named publishes CDS and CDNSKEY by itself once its CSK is omnipresent (the DNSKEY TTL,
 * the policy's max-zone-ttl and safety margins after signing), and 9.18 has no switch to stop it ({@code cdnskey} and
 * {@code cds-digest-types} do not exist before 9.20). The policy's {@code max-zone-ttl} is enforced: a zone holding a
 * larger TTL fails to load once signed, and an update's larger TTL is cut to it, so it must be at least every TTL of
 * the zones it signs and every TTL mxshift writes (the plan keeps a zone's MX TTL, lowering it to 300 s at most while
 * the MX moves). Under {@code dnssec-policy insecure} a zone whose DS named believes published (set with
 * {@code rndc dnssec -checkds published}) publishes the RFC 8078 delete form, CDS {@code 0 0 0 00} and CDNSKEY
 * {@code 0 3 0 AA==}, and keeps its key until told the DS is withdrawn, and then for the built-in policy's parent DS
 * TTL (a day) plus its parent propagation delay and retire safety (an hour each) after the time it is told; a zone
 * whose DS named never saw published, or whose key is not yet omnipresent (no CDS served yet), loses its key at once,
 * so the delete form is asked for only once named serves CDS.
 *
 * <p>Settings: those of {@code rfc2136} ({@code server}, {@code tsig-key-name}, {@code tsig-algorithm},
 * {@code tsig-secret}), and {@code rndc-conf}, {@code dnssec-policy}, {@code dnssec-policy-nsec3},
 * {@code serve-wait-seconds} (default 30: how long a call waits for named to serve the change it asked for).
 */
public final class BindConnector extends BuiltInConnector implements ZoneReader {

    public static final String TYPE = "bind";

    /** Finds this connector by its {@code type}. */
    public static final class Factory extends BuiltInConnectorFactory {
        public Factory() {
            super(TYPE, config -> new BindConnector(config.id(), (Rfc2136Connector) new Rfc2136Connector.Factory().create(config),
                    server(config), Path.of(config.required("rndc-conf")), config.optional("dnssec-policy", "mxshift"),
                    config.optional("dnssec-policy-nsec3", "mxshift-nsec3"),
                    Duration.ofSeconds(Long.parseLong(config.optional("serve-wait-seconds", "30")))));
        }
    }

    private static final Pattern POLICY = Pattern.compile("dnssec-policy\\s+\"?([^\";\\s]+)\"?\\s*;");
    private static final Pattern INLINE = Pattern.compile("inline-signing\\s+\\w+\\s*;");
    private static final String INSECURE = "insecure";
    /**
     * How long named's built-in {@code insecure} policy keeps a key after its DS is withdrawn: the parent DS TTL it
     * assumes (a day), its parent propagation delay and its retire safety (an hour each), and an hour for clocks.
     */
    static final Duration WITHDRAWN_AGO = Duration.ofHours(27);
    /** {@code rndc dnssec -checkds -when}: YYYYMMDDHHMMSS, UTC. */
    private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(java.time.ZoneOffset.UTC);

    private final Rfc2136Connector records;
    private final InetSocketAddress server;
    private final Path rndcConf;
    private final String policy;
    private final String nsec3Policy;
    private final Duration serveWait;

    public BindConnector(String id, Rfc2136Connector records, InetSocketAddress server, Path rndcConf, String policy, String nsec3Policy,
                         Duration serveWait) {
        super(id);
        this.records = records;
        this.server = server;
        this.rndcConf = rndcConf;
        this.policy = policy;
        this.nsec3Policy = nsec3Policy;
        this.serveWait = serveWait;
    }

    @Override
    public Capabilities capabilities() {
        Capabilities c = records.capabilities();
        return new Capabilities(c.recordTypes(), true, c.zoneListing(), c.atomicMultiSet(), c.nativeCompareAndSet(), c.nativeCompareCoversTtl());
    }

    @Override
    public Optional<RrSet> read(String zone, String owner, String type) throws ConnectorException {
        return records.read(zone, owner, type);
    }

    @Override
    public ApplyReceipt apply(RrSetChange change) throws ConnectorException {
        return records.apply(change);
    }

    /** AXFR with the TSIG key, as the RFC 2136 connector reads a whole zone. */
    @Override
    public List<RrSet> readZone(String zone) throws ConnectorException {
        return records.readZone(zone);
    }

    /** The keys named serves (asked over TCP), the DS computed from them, the CDS form it serves. */
    @Override
    public ZoneSigning signing(String zone) throws ConnectorException {
        zoneStatus(zone); // an unknown zone is a permanent failure, not an unsigned zone
        List<SigningKey> keys = new ArrayList<>();
        for (Record r : served(zone, Type.DNSKEY)) {
            keys.add(ZoneKeys.key(zone, r.rdataToString()));
        }
        List<Record> cds = served(zone, Type.CDS);
        CdsMode mode = cds.isEmpty() ? CdsMode.NONE
                : cds.stream().allMatch(r -> ((CDSRecord) r).getAlgorithm() == 0) ? CdsMode.DELETE : CdsMode.PUBLISH;
        return new ZoneSigning(zone, !keys.isEmpty(), keys, ZoneKeys.ds(zone, keys), mode);
    }

    /**
     * Gives the zone the signing policy (NSEC or NSEC3) and inline signing, and waits until named serves a DNSKEY.
     * named makes the key itself, once for the policy, so a repeated call, or one after a lost answer, makes none.
     */
    @Override
    public ZoneSigning sign(String zone, SigningRequest request) throws ConnectorException {
        if (request.algorithm() != 13) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": the BIND connector signs with the policy '" + policy
                    + "' (ECDSAP256SHA256, algorithm 13), not with algorithm " + request.algorithm());
        }
        String wanted = request.denial() == Denial.NSEC3 ? nsec3Policy : policy;
        String config = modifiableConfig(zone);
        if (!wanted.equals(policyOf(config))) {
            modzone(zone, withPolicy(config, wanted));
        }
        awaitServed(zone, "a DNSKEY", s -> s.signed());
        return signing(zone);
    }

    /**
     * PUBLISH: named publishes CDS and CDNSKEY itself once the key is omnipresent, so there is nothing to do but check
     * the zone is signed by the policy. DELETE: named is told the DS is published (so it keeps the key until told the
     * DS is withdrawn) and the zone goes to the built-in {@code insecure} policy, under which named serves the delete
     * form. NONE: only where named serves no CDS; BIND 9.18 has no switch to withdraw the ones it publishes.
     */
    @Override
    public ZoneSigning publishCds(String zone, CdsMode mode) throws ConnectorException {
        ZoneSigning now = signing(zone);
        String config = modifiableConfig(zone);
        String current = policyOf(config);
        switch (mode) {
            case PUBLISH -> {
                if (!now.signed() || !(policy.equals(current) || nsec3Policy.equals(current))) {
                    throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + zone + " is not signed by the policy '" + policy
                            + "' (its policy: " + current + "), so named publishes no CDS for it; sign it first");
                }
                return now;
            }
            case DELETE -> {
                if (now.cds() == CdsMode.DELETE) {
                    return now;
                }
                if (!now.signed()) {
                    throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + zone + " is not signed, so it cannot publish"
                            + " the CDS delete form");
                }
                if (!INSECURE.equals(current) && now.cds() != CdsMode.PUBLISH) {
                    // Seen with named 9.18.49: a key that is not yet omnipresent (named publishes no CDS for it yet) is
                    // dropped at once under the insecure policy, even with its DS marked published: that would be an
                    // unsigned zone under a DS, not a delete form. named publishes CDS once the key is established.
                    throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": named has not established the key of " + zone
                            + " yet (it serves no CDS for it), and would drop the key rather than publish the delete form; try again"
                            + " once it publishes CDS");
                }
                if (!INSECURE.equals(current)) {
                    rndc("mark the DS of " + zone + " published, so that named keeps its key until the DS is withdrawn",
                            "dnssec", "-checkds", "published", zone);
                    modzone(zone, withPolicy(config, INSECURE));
                }
                awaitServed(zone, "the CDS delete form", s -> s.cds() == CdsMode.DELETE);
                return signing(zone);
            }
            default -> {
                if (now.cds() != CdsMode.NONE) {
                    throw new ConnectorException(ConnectorException.Kind.UNSUPPORTED, id + ": named publishes the CDS of " + zone
                            + " (" + now.cds() + ") by its dnssec-policy, and BIND 9.18 has no switch to withdraw it");
                }
                return now;
            }
        }
    }

    /**
     * Moves the zone to the built-in {@code insecure} policy and waits until named serves no DNSKEY. Where named
     * publishes the delete form (it believes the DS published), it is told the DS is withdrawn, and withdrawn as long
     * ago as its insecure policy waits after a withdrawal ({@link #WITHDRAWN_AGO}): the engine calls this only once the
     * DS is gone from the parent and every cache that could hold it has expired (invariant 6), which is what that wait
     * stands for; named then removes the key at once. A zone named never saw a DS for loses its key at once.
     */
    @Override
    public ZoneSigning unsign(String zone) throws ConnectorException {
        ZoneSigning now = signing(zone);
        if (now.cds() == CdsMode.PUBLISH) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + zone + " still publishes CDS for its keys, so its"
                    + " parent may still take or hold a DS for them; publish the delete form (publishCds DELETE), wait until the DS is"
                    + " gone from the parent and caches, then unsign");
        }
        String config = modifiableConfig(zone);
        String current = policyOf(config);
        if (now.cds() == CdsMode.DELETE) {
            String when = WHEN.format(java.time.Instant.now().minus(WITHDRAWN_AGO));
            rndc("tell named the DS of " + zone + " is withdrawn and out of every cache", "dnssec", "-checkds", "-when", when, "withdrawn", zone);
        } else if (current != null && !INSECURE.equals(current) && !"none".equals(current)) {
            modzone(zone, withPolicy(config, INSECURE));
        }
        if (now.signed()) {
            awaitServed(zone, "no DNSKEY", s -> !s.signed());
        }
        return signing(zone);
    }

    /** The zone's configuration as named holds it, if rndc may change it for good; else a permanent refusal. */
    private String modifiableConfig(String zone) throws ConnectorException {
        if (zoneStatus(zone).contains("reconfigurable via modzone: no")) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + zone + " is configured in named.conf, where a"
                    + " change through rndc modzone is undone at the next reconfig or restart (a signed zone would be served unsigned under"
                    + " its DS: bogus); add the zone with rndc addzone, or give it its dnssec-policy in named.conf");
        }
        String shown = rndc("show the configuration of " + zone, "showzone", zone);
        int open = shown.indexOf('{');
        int close = shown.lastIndexOf('}');
        if (open < 0 || close < open) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": rndc showzone " + zone + " gave no zone configuration");
        }
        return shown.substring(open + 1, close).trim();
    }

    private static String policyOf(String config) {
        Matcher m = POLICY.matcher(config);
        return m.find() ? m.group(1) : null;
    }

    /** The configuration with this policy and inline signing (updates then change the unsigned zone; named signs a copy). */
    private static String withPolicy(String config, String policyName) {
        String body = POLICY.matcher(config).replaceAll("").trim();
        body = INLINE.matcher(body).replaceAll("").trim();
        return body + (body.endsWith(";") || body.isEmpty() ? " " : "; ") + "inline-signing yes; dnssec-policy \"" + policyName + "\";";
    }

    /** modzone records the change; named 9.18 applies a new dnssec-policy to the running zone only at reconfig. */
    private void modzone(String zone, String config) throws ConnectorException {
        rndc("change the configuration of " + zone, "modzone", zone, "{ " + config + " };");
        rndc("reload the configuration after a change of " + zone, "reconfig");
    }

    private String zoneStatus(String zone) throws ConnectorException {
        return rndc("read the status of " + zone, "zonestatus", zone);
    }

    private String rndc(String what, String... arguments) throws ConnectorException {
        List<String> command = new ArrayList<>(List.of("rndc", "-c", rndcConf.toString()));
        command.addAll(List.of(arguments));
        if (!Files.isReadable(rndcConf)) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + what + ": the rndc configuration " + rndcConf + " is not readable");
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw ConnectorException.outcomeUnknown(id + ": " + what + ": rndc did not finish within 60 s", null);
            }
            if (process.exitValue() != 0) {
                throw new ConnectorException(kindOf(output), id + ": " + what + ": rndc " + arguments[0] + " failed: " + firstLines(output));
            }
            return output;
        } catch (IOException e) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + what + ": cannot run rndc: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": " + what + ": interrupted", e);
        }
    }

    /** rndc's own words: a refused key is the credentials, a server that does not answer may be restarting. */
    private static ConnectorException.Kind kindOf(String output) {
        String text = output.toLowerCase(java.util.Locale.ROOT);
        if (text.contains("bad auth") || text.contains("not authorized") || text.contains("connection to remote host closed")) {
            return ConnectorException.Kind.AUTHENTICATION;
        }
        if (text.contains("connection refused") || text.contains("timed out") || text.contains("connect failed")) {
            return ConnectorException.Kind.RETRYABLE;
        }
        return ConnectorException.Kind.PERMANENT;
    }

    private static String firstLines(String output) {
        return output.lines().limit(3).reduce((a, b) -> a + " / " + b).orElse("(no output)");
    }

    private void awaitServed(String zone, String what, java.util.function.Predicate<ZoneSigning> served) throws ConnectorException {
        long deadline = System.nanoTime() + serveWait.toNanos();
        while (true) {
            ZoneSigning now = signing(zone);
            if (served.test(now)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": named took the change of " + zone + " but did not serve "
                        + what + " within " + serveWait.toSeconds() + " s; ask again later");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": interrupted while waiting for " + zone, e);
            }
        }
    }

    /** The records of {@code type} at the apex, as named serves them, over TCP. */
    private List<Record> served(String zone, int type) throws ConnectorException {
        try {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTCP(true);
            resolver.setTimeout(Duration.ofSeconds(5));
            Name name = ZoneKeys.name(zone);
            Message response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
            if (response.getRcode() != Rcode.NOERROR) {
                throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": " + zone + " " + Type.string(type) + ": "
                        + Rcode.string(response.getRcode()) + " from " + server);
            }
            return response.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type && r.getName().equals(name)).toList();
        } catch (IOException e) {
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": cannot ask " + server + " for " + zone + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        records.close();
    }
}
