package dev.mxshift.lab;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lab registry's EPP server (RFC 5730, RFC 5734, RFC 5731, RFC 5910), the parent side of the DNSSEC stage's
 * {@code epp} path: TLS on a loopback address with a certificate of the lab CA, a greeting on connect, login with the
 * one configured registrar's client id and password, {@code domain:info} with the secDNS data of a domain, and
 * {@code domain:update} with secDNS-1.1 {@code rem} (listed or all) and {@code add}, which it writes as the DS rrset of
 * the domain's registry zone through the PowerDNS API that holds those zones, as a registry's provisioning does. Which
 * domains exist is the registry zone's delegations. It is strict as the RFCs allow: a document that is not
 * well-formed, namespace-correct EPP is a 2001, a command before login a 2002, a bad password a 2200 (the third one
 * ends the session with 2501), an unknown domain a 2303, a value outside its type a 2005, a DNSSEC value its policy
 * refuses (algorithm, digest type, digest length, the other interface) a 2306, {@code maxSigLife} and {@code urgent}
 * a 2102 (RFC 5910 sections 3.3 and 5.2.5: this registry does not support them). DTDs are refused, so no entity is
 * ever expanded. The {@code keyData} zones take DNSKEYs (RFC 5910 section 4.2) and derive the DS (SHA-256) themselves;
 * such a zone holds only the DS of the keys it was given (an update replaces any other), and keeps the keys in memory.
 */
public final class EppRegistryServer implements AutoCloseable {

    static final String READY = "epp-registry: listening";
    static final String EPP = "urn:ietf:params:xml:ns:epp-1.0";
    static final String DOMAIN = "urn:ietf:params:xml:ns:domain-1.0";
    static final String SEC_DNS = "urn:ietf:params:xml:ns:secDNS-1.1";
    /** Algorithms the registry accepts (RFC 8624 section 3.1: MUST/RECOMMENDED for signing, no SHA-1 or older). */
    static final Set<Integer> ALGORITHMS = Set.of(8, 13, 14, 15, 16);
    /** Digest types and their lengths in bytes (RFC 4509 SHA-256, RFC 6605 SHA-384); SHA-1 is refused (RFC 8624 section 3.3). */
    static final Map<Integer, Integer> DIGEST_LENGTHS = Map.of(2, 32, 4, 48);
    static final int MAX_DS = 8;
    static final int MAX_FRAME = 65536;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the server is configured with; the password is the lab's own secret for its one registrar. */
    /** @param clientCaFile the CA whose client certificates it asks for and accepts (registries often want one); null: none asked */
    record Config(String address, int port, Path keyFile, Path chainFile, String apiUrl, String apiKey, String clientId, String password,
                  List<String> zones, List<String> keyDataZones, long dsTtl, Path clientCaFile) {
    }

    private final Config config;
    private final SSLServerSocket listener;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong transactions = new AtomicLong();
    /** The DNSKEYs a keyData zone's domains hold, by domain; the DS derived from them is in the zone. */
    private final Map<String, List<Key>> keysOf = new HashMap<>();
    private final Object registry = new Object();

    record Ds(int keyTag, int alg, int digestType, String digest) {
        String rdata() {
            return keyTag + " " + alg + " " + digestType + " " + digest;
        }
    }

    record Key(int flags, int protocol, int alg, String pubKey) {
    }

    /** A refusal: an EPP result code, its text, and why. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Refusal(int code, String reason) {
            super(reason);
            this.code = code;
        }
    }

    EppRegistryServer(Config config) throws Exception {
        this.config = config;
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers(config.keyFile(), config.chainFile()), config.clientCaFile() == null ? null : trustManagers(config.clientCaFile()), null);
        this.listener = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(config.port(), 50, InetAddress.getByName(config.address()));
        listener.setEnabledProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
        // Asked for, not required: the lab's registrar may log in with its password alone; the log says which it did.
        listener.setWantClientAuth(config.clientCaFile() != null);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EppRegistryServer <epp.json>");
            System.exit(2);
        }
        JsonNode c = JSON.readTree(Files.readString(Path.of(args[0])));
        List<String> zones = new ArrayList<>();
        c.path("zones").forEach(z -> zones.add(z.asString()));
        List<String> keyData = new ArrayList<>();
        c.path("keyDataZones").forEach(z -> keyData.add(z.asString()));
        Config config = new Config(c.path("address").asString(), c.path("port").asInt(), Path.of(c.path("keyFile").asString()),
                Path.of(c.path("chainFile").asString()), c.path("apiUrl").asString(), c.path("apiKey").asString(),
                c.path("clientId").asString(), Files.readString(Path.of(c.path("passwordFile").asString())).strip(), zones, keyData,
                c.path("dsTtl").asLong(2), c.path("clientCaFile").isString() ? Path.of(c.path("clientCaFile").asString()) : null);
        EppRegistryServer server = new EppRegistryServer(config);
        Instant end = Instant.now().plusSeconds(c.path("maxRuntimeSeconds").asLong(604800));
        Thread stopper = new Thread(() -> {
            ServerProcess.sleep(Duration.between(Instant.now(), end).toMillis());
            System.out.println("epp-registry: maximum runtime reached, stopping");
            server.close();
        });
        stopper.setDaemon(true);
        stopper.start();
        System.out.println(READY + " on " + config.address() + ":" + config.port() + " for " + zones + " (keyData: " + keyData + ")");
        System.out.flush();
        server.serve();
    }

    /** Accepts connections until closed, one thread each. */
    void serve() {
        while (!listener.isClosed()) {
            try {
                SSLSocket socket = (SSLSocket) listener.accept();
                Thread session = new Thread(() -> session(socket), "epp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("epp-registry: accept failed: " + e);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // stopping anyway
        }
    }

    // --- one session ---

    /** What a session knows: who logged in, and whether it chose the secDNS extension (RFC 5910 section 2). */
    static final class State {
        boolean loggedIn;
        boolean secDns;
        int failedLogins;
        boolean closing;
        /** The subject of the client certificate the TLS handshake verified, or null. */
        String clientCertificate;
    }

    private void session(SSLSocket socket) {
        try (socket) {
            socket.setSoTimeout(60_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            State state = new State();
            socket.startHandshake();
            try {
                state.clientCertificate = ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName();
            } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
                // no client certificate: the login alone authenticates
            }
            write(out, greeting());
            while (!state.closing) {
                int length = in.readInt();
                if (length <= 4 || length > MAX_FRAME) {
                    // RFC 5734 section 4: the length counts its own 4 bytes; a frame this size is no EPP we serve.
                    log("closing a session that sent a data unit of " + length + " bytes");
                    return;
                }
                byte[] document = new byte[length - 4];
                in.readFully(document);
                write(out, answer(document, state));
            }
        } catch (IOException e) {
            // the client went away, or was idle for a minute
        }
    }

    /** The answer to one document; never throws, every failure is a result code. */
    String answer(byte[] document, State state) {
        String clTRID = null;
        try {
            Element epp = parse(document);
            Element hello = only(epp);
            if (hello.getLocalName().equals("hello") && EPP.equals(hello.getNamespaceURI())) {
                return greeting();
            }
            if (!hello.getLocalName().equals("command") || !EPP.equals(hello.getNamespaceURI())) {
                throw new Refusal(2001, "the document holds <" + hello.getLocalName() + ">, not <command> or <hello>");
            }
            clTRID = clTRID(hello);
            Element command = only(hello);
            List<Element> parts = elements(hello);
            // RFC 5730 section 2.5: the command, then an optional <extension>, then an optional <clTRID>
            List<String> rest = parts.subList(1, parts.size()).stream().map(e -> EPP.equals(e.getNamespaceURI()) ? e.getLocalName() : "?").toList();
            if (!List.of(List.of(), List.of("extension"), List.of("clTRID"), List.of("extension", "clTRID")).contains(rest)) {
                throw new Refusal(2001, "<command> holds " + parts.stream().map(Element::getLocalName).toList()
                        + "; it takes one command, then <extension> and <clTRID>, each optional");
            }
            Element extension = rest.contains("extension") ? parts.get(1) : null;
            if (!EPP.equals(command.getNamespaceURI())) {
                throw new Refusal(2001, "the command element is not in the EPP namespace");
            }
            return switch (command.getLocalName()) {
                case "login" -> login(command, state, clTRID);
                case "logout" -> {
                    requireLogin(state);
                    state.closing = true;
                    yield result(1500, "Command completed successfully; ending session", null, clTRID, "");
                }
                case "info" -> {
                    requireLogin(state);
                    yield info(command, state, clTRID);
                }
                case "update" -> {
                    requireLogin(state);
                    yield update(command, extension, state, clTRID);
                }
                case "check", "create", "delete", "renew", "transfer", "poll" -> {
                    requireLogin(state);
                    throw new Refusal(2101, "the lab registry implements login, logout, info and update only");
                }
                default -> throw new Refusal(2000, "<" + command.getLocalName() + "> is not an EPP command");
            };
        } catch (Refusal r) {
            if (r.code == 2501) {
                state.closing = true;
            }
            return result(r.code, message(r.code), r.getMessage(), clTRID, "");
        } catch (RuntimeException e) {
            log("internal error: " + e);
            return result(2400, message(2400), e.getClass().getSimpleName(), clTRID, "");
        }
    }

    private static void requireLogin(State state) throws Refusal {
        if (!state.loggedIn) {
            throw new Refusal(2002, "log in first (RFC 5730 section 2.9.1.1)");
        }
    }

    private String login(Element login, State state, String clTRID) throws Refusal {
        if (state.loggedIn) {
            throw new Refusal(2002, "this session is logged in already");
        }
        String clientId = text(required(login, EPP, "clID"));
        String password = text(required(login, EPP, "pw"));
        if (child(login, EPP, "newPW") != null) {
            throw new Refusal(2102, "the lab registry does not change passwords");
        }
        Element options = required(login, EPP, "options");
        if (!"1.0".equals(text(required(options, EPP, "version")))) {
            throw new Refusal(2100, "only EPP version 1.0 is implemented");
        }
        if (!"en".equals(text(required(options, EPP, "lang")))) {
            throw new Refusal(2102, "only the language en is offered");
        }
        Element services = required(login, EPP, "svcs");
        boolean secDns = false;
        for (Element object : children(services, EPP, "objURI")) {
            if (!DOMAIN.equals(text(object))) {
                throw new Refusal(2307, "the object service " + text(object) + " is not offered (only " + DOMAIN + ")");
            }
        }
        Element extensions = child(services, EPP, "svcExtension");
        if (extensions != null) {
            for (Element ext : children(extensions, EPP, "extURI")) {
                if (!SEC_DNS.equals(text(ext))) {
                    throw new Refusal(2103, "the extension " + text(ext) + " is not offered (only " + SEC_DNS + ")");
                }
                secDns = true;
            }
        }
        if (!config.clientId().equals(clientId) || !java.security.MessageDigest.isEqual(
                config.password().getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8))) {
            state.failedLogins++;
            log("login refused for client id '" + clientId + "' (" + state.failedLogins + " in this session)");
            // RFC 5730 section 3: 2501 when the server closes the session after failed attempts.
            throw new Refusal(state.failedLogins >= 3 ? 2501 : 2200, "client id or password not accepted");
        }
        state.loggedIn = true;
        state.secDns = secDns;
        log("login " + clientId + (state.clientCertificate == null ? " without a client certificate"
                : " with the client certificate " + state.clientCertificate));
        return result(1000, message(1000), null, clTRID, "");
    }

    private String info(Element info, State state, String clTRID) throws Refusal {
        Element domainInfo = objectElement(info, "info");
        Element nameElement = required(domainInfo, DOMAIN, "name");
        String hosts = nameElement.getAttribute("hosts");
        if (!hosts.isEmpty() && !Set.of("all", "del", "sub", "none").contains(hosts)) {
            throw new Refusal(2005, "hosts='" + hosts + "' is not one of all, del, sub, none");
        }
        String domain = domainName(text(nameElement));
        synchronized (registry) {
            String zone = registryZone(domain);
            List<Ds> ds = dsOf(zone, domain);
            StringBuilder data = new StringBuilder("<resData><domain:infData xmlns:domain=\"" + DOMAIN + "\"><domain:name>" + domain
                    + "</domain:name><domain:roid>" + roid(domain) + "</domain:roid><domain:status s=\"ok\"/><domain:clID>"
                    + escape(config.clientId()) + "</domain:clID></domain:infData></resData>");
            // A keyData zone shows the keys it was given; a DS it holds without them (the lab published it) shows as dsData.
            List<Key> keys = config.keyDataZones().contains(zone) ? keysOf.getOrDefault(domain, List.of()) : List.of();
            // RFC 5910 section 2: the secDNS data only for a client that chose the extension, and only when there is some.
            if (state.secDns && !ds.isEmpty()) {
                data.append("<extension><secDNS:infData xmlns:secDNS=\"" + SEC_DNS + "\">");
                if (!keys.isEmpty()) {
                    keys.forEach(k -> data.append(keyXml(k)));
                } else {
                    ds.forEach(d -> data.append(dsXml(d)));
                }
                data.append("</secDNS:infData></extension>");
            }
            return result(1000, message(1000), null, clTRID, data.toString());
        }
    }

    private String update(Element update, Element extension, State state, String clTRID) throws Refusal {
        Element domainUpdate = objectElement(update, "update");
        String domain = domainName(text(required(domainUpdate, DOMAIN, "name")));
        for (String part : List.of("add", "rem", "chg")) {
            if (child(domainUpdate, DOMAIN, part) != null) {
                throw new Refusal(2102, "the lab registry changes only DNSSEC data; domain:" + part + " is not implemented");
            }
        }
        if (extension == null) {
            // RFC 5731 section 3.2.5: add, rem or chg, unless an extension carries the change
            throw new Refusal(2003, "an update needs domain:add, domain:rem, domain:chg or a secDNS:update extension");
        }
        List<Element> extensions = elements(extension);
        if (extensions.size() != 1 || !SEC_DNS.equals(extensions.get(0).getNamespaceURI())
                || !extensions.get(0).getLocalName().equals("update")) {
            throw new Refusal(2103, "the only extension of an update here is secDNS:update (" + SEC_DNS + ")");
        }
        if (!state.secDns) {
            throw new Refusal(2002, "secDNS-1.1 was not chosen at login (RFC 5910 section 2)");
        }
        Element secDns = extensions.get(0);
        String urgent = secDns.getAttribute("urgent");
        if (urgent.equals("true") || urgent.equals("1")) {
            throw new Refusal(2102, "urgent updates are not supported (RFC 5910 section 5.2.5)");
        } else if (!urgent.isEmpty() && !urgent.equals("false") && !urgent.equals("0")) {
            throw new Refusal(2005, "urgent='" + urgent + "' is not a boolean");
        }
        List<Element> parts = elements(secDns);
        List<String> order = parts.stream().map(Element::getLocalName).toList();
        if (parts.isEmpty() || !List.of("rem", "add", "chg").containsAll(order) || order.size() != new LinkedHashSet<>(order).size()
                || !sorted(order)) {
            throw new Refusal(2001, "secDNS:update holds " + order + "; it takes rem, add and chg, at most once each, in that order");
        }
        Element chg = child(secDns, SEC_DNS, "chg");
        if (chg != null) {
            throw new Refusal(2102, "maxSigLife is not supported (RFC 5910 section 3.3)");
        }
        synchronized (registry) {
            String zone = registryZone(domain);
            boolean keyInterface = config.keyDataZones().contains(zone);
            Element rem = child(secDns, SEC_DNS, "rem");
            Element add = child(secDns, SEC_DNS, "add");
            List<Ds> ds = new ArrayList<>(dsOf(zone, domain));
            List<Key> keys = new ArrayList<>(keysOf.getOrDefault(domain, List.of()));
            // RFC 5910 section 5.2.5: the removals first, then the additions.
            if (rem != null) {
                Element all = child(rem, SEC_DNS, "all");
                if (all != null) {
                    if (elements(rem).size() != 1) {
                        throw new Refusal(2001, "secDNS:rem holds secDNS:all beside other elements");
                    }
                    String value = text(all);
                    if (value.equals("true") || value.equals("1")) {
                        ds.clear();
                        keys.clear();
                    } else if (!value.equals("false") && !value.equals("0")) {
                        throw new Refusal(2005, "secDNS:all '" + value + "' is not a boolean");
                    }
                } else {
                    Set<Ds> gone = new LinkedHashSet<>(dsData(rem, keyInterface));
                    Set<Key> goneKeys = new LinkedHashSet<>(keyData(rem, keyInterface));
                    ds.removeAll(gone);
                    keys.removeAll(goneKeys);
                }
            }
            if (add != null) {
                for (Ds d : dsData(add, keyInterface)) {
                    if (!ds.contains(d)) {
                        ds.add(d);
                    }
                }
                for (Key k : keyData(add, keyInterface)) {
                    if (!keys.contains(k)) {
                        keys.add(k);
                    }
                }
            }
            if (keyInterface) {
                ds = new ArrayList<>();
                for (Key k : keys) {
                    ds.add(derive(domain, k));
                }
            }
            if (ds.size() > MAX_DS) {
                throw new Refusal(2306, "at most " + MAX_DS + " DS records per domain");
            }
            publish(zone, domain, ds);
            if (keyInterface) {
                keysOf.put(domain, List.copyOf(keys));
            }
            log("update " + domain + ": DS now " + ds.stream().map(Ds::rdata).toList());
            return result(1000, message(1000), null, clTRID, "");
        }
    }

    private static boolean sorted(List<String> order) {
        List<String> canonical = new ArrayList<>(List.of("rem", "add", "chg"));
        canonical.retainAll(order);
        return canonical.equals(order);
    }

    /** The dsData elements of a rem or add, checked against their types (2005) and the registry's policy (2306). */
    private List<Ds> dsData(Element parent, boolean keyInterface) throws Refusal {
        List<Element> found = children(parent, SEC_DNS, "dsData");
        if (!found.isEmpty() && keyInterface) {
            throw new Refusal(2306, "this registry takes keyData, not dsData (RFC 5910 section 4)");
        }
        checkOnly(parent, "dsData", "keyData");
        List<Ds> out = new ArrayList<>();
        for (Element d : found) {
            int keyTag = number(required(d, SEC_DNS, "keyTag"), 65535);
            int alg = number(required(d, SEC_DNS, "alg"), 255);
            int digestType = number(required(d, SEC_DNS, "digestType"), 255);
            String digest = text(required(d, SEC_DNS, "digest"));
            byte[] bytes;
            try {
                bytes = HexFormat.of().parseHex(digest);
            } catch (IllegalArgumentException e) {
                throw new Refusal(2005, "secDNS:digest '" + digest + "' is not hexBinary");
            }
            algorithmAllowed(alg);
            Integer length = DIGEST_LENGTHS.get(digestType);
            if (length == null) {
                throw new Refusal(2306, "digest type " + digestType + " is not accepted (2 SHA-256 or 4 SHA-384)");
            }
            if (bytes.length != length) {
                throw new Refusal(2306, "a digest of type " + digestType + " is " + length + " bytes, not " + bytes.length);
            }
            out.add(new Ds(keyTag, alg, digestType, digest.toUpperCase(Locale.ROOT)));
        }
        return out;
    }

    private List<Key> keyData(Element parent, boolean keyInterface) throws Refusal {
        List<Element> found = children(parent, SEC_DNS, "keyData");
        if (!found.isEmpty() && !keyInterface) {
            throw new Refusal(2306, "this registry takes dsData, not keyData (RFC 5910 section 4)");
        }
        List<Key> out = new ArrayList<>();
        for (Element k : found) {
            int flags = number(required(k, SEC_DNS, "flags"), 65535);
            int protocol = number(required(k, SEC_DNS, "protocol"), 255);
            int alg = number(required(k, SEC_DNS, "alg"), 255);
            String pubKey = text(required(k, SEC_DNS, "pubKey")).replaceAll("\\s+", "");
            try {
                Base64.getDecoder().decode(pubKey);
            } catch (IllegalArgumentException e) {
                throw new Refusal(2005, "secDNS:pubKey is not base64");
            }
            if (protocol != 3 || (flags & 256) == 0) {
                throw new Refusal(2306, "a DNSKEY has protocol 3 and the zone key flag (RFC 4034 section 2.1)");
            }
            algorithmAllowed(alg);
            out.add(new Key(flags, protocol, alg, pubKey));
        }
        return out;
    }

    private static void checkOnly(Element parent, String... names) throws Refusal {
        for (Element e : elements(parent)) {
            if (!SEC_DNS.equals(e.getNamespaceURI()) || !List.of(names).contains(e.getLocalName())) {
                throw new Refusal(2001, "secDNS:" + parent.getLocalName() + " does not take <" + e.getLocalName() + ">");
            }
        }
    }

    private static void algorithmAllowed(int alg) throws Refusal {
        if (!ALGORITHMS.contains(alg)) {
            throw new Refusal(2306, "DNSSEC algorithm " + alg + " is not accepted (RFC 8624: 8, 13, 14, 15 or 16)");
        }
    }

    private static Ds derive(String domain, Key key) throws Refusal {
        try {
            DNSKEYRecord dnskey = new DNSKEYRecord(Name.fromString(domain + "."), DClass.IN, 0, key.flags(), key.protocol(), key.alg(),
                    Base64.getDecoder().decode(key.pubKey()));
            DSRecord ds = new DSRecord(dnskey.getName(), DClass.IN, 0, DNSSEC.Digest.SHA256, dnskey);
            return new Ds(ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(), HexFormat.of().withUpperCase().formatHex(ds.getDigest()));
        } catch (IOException | IllegalArgumentException e) {
            throw new Refusal(2306, "the DNSKEY cannot be read: " + e.getMessage());
        }
    }

    /** The domain:info or domain:update inside the command; another object's service is not offered. */
    private static Element objectElement(Element command, String name) throws Refusal {
        Element object = only(command);
        if (!DOMAIN.equals(object.getNamespaceURI())) {
            throw new Refusal(2307, "objects of " + object.getNamespaceURI() + " are not offered (only " + DOMAIN + ")");
        }
        if (!object.getLocalName().equals(name)) {
            throw new Refusal(2001, "<" + name + "> holds domain:" + object.getLocalName());
        }
        return object;
    }

    private static String domainName(String text) throws Refusal {
        String name = text.toLowerCase(Locale.ROOT);
        if (!name.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]")) {
            throw new Refusal(2005, "'" + text + "' is not a domain name (A-labels, no final dot)");
        }
        return name;
    }

    /** The registry zone the domain is registered in (its parent, when this registry runs it); otherwise it does not exist here. */
    private String registryZone(String domain) throws Refusal {
        String parent = domain.substring(domain.indexOf('.') + 1);
        if (!config.zones().contains(parent)) {
            throw new Refusal(2303, domain + " is not in a zone of this registry " + config.zones());
        }
        return parent;
    }

    // --- the registry's database: its zones at PowerDNS ---

    /** The domain's DS, read from the zone; a domain without a delegation there does not exist (2303). */
    private List<Ds> dsOf(String zone, String domain) throws Refusal {
        JsonNode rrsets = api("GET", "/servers/localhost/zones/" + zone + ".", null).path("rrsets");
        boolean delegated = false;
        List<Ds> ds = new ArrayList<>();
        for (JsonNode rrset : rrsets) {
            if (!rrset.path("name").asString().equalsIgnoreCase(domain + ".")) {
                continue;
            }
            String type = rrset.path("type").asString();
            for (JsonNode record : rrset.path("records")) {
                if (record.path("disabled").asBoolean(false)) {
                    continue;
                }
                if (type.equals("NS")) {
                    delegated = true;
                } else if (type.equals("DS")) {
                    String[] f = record.path("content").asString().strip().split("\\s+", 4);
                    ds.add(new Ds(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                            f[3].replaceAll("\\s+", "").toUpperCase(Locale.ROOT)));
                }
            }
        }
        if (!delegated) {
            throw new Refusal(2303, domain + " is not registered in " + zone);
        }
        return ds;
    }

    private void publish(String zone, String domain, List<Ds> ds) throws Refusal {
        String rrset;
        if (ds.isEmpty()) {
            rrset = "{\"name\":\"" + domain + ".\",\"type\":\"DS\",\"changetype\":\"DELETE\"}";
        } else {
            StringBuilder records = new StringBuilder();
            for (Ds d : ds) {
                records.append(records.isEmpty() ? "" : ",").append("{\"content\":\"").append(d.rdata()).append("\",\"disabled\":false}");
            }
            rrset = "{\"name\":\"" + domain + ".\",\"type\":\"DS\",\"ttl\":" + config.dsTtl() + ",\"changetype\":\"REPLACE\",\"records\":["
                    + records + "]}";
        }
        api("PATCH", "/servers/localhost/zones/" + zone + ".", "{\"rrsets\":[" + rrset + "]}");
    }

    private JsonNode api(String method, String path, String body) throws Refusal {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(config.apiUrl() + path)).timeout(Duration.ofSeconds(20))
                    .header("X-API-Key", config.apiKey()).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                log(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
                throw new Refusal(2400, "the registry's database refused the change");
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            log(method + " " + path + " failed: " + e);
            throw new Refusal(2400, "the registry's database cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal(2400, "interrupted");
        }
    }

    // --- XML ---

    /** Strict: namespace-aware, no DTD (so no entity of any kind), root {urn:ietf:params:xml:ns:epp-1.0}epp. */
    static Element parse(byte[] document) throws Refusal {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document doc = builder.parse(new ByteArrayInputStream(document));
            Element root = doc.getDocumentElement();
            if (!EPP.equals(root.getNamespaceURI()) || !root.getLocalName().equals("epp")) {
                throw new Refusal(2001, "the root element is not {" + EPP + "}epp");
            }
            return root;
        } catch (Refusal r) {
            throw r;
        } catch (Exception e) {
            throw new Refusal(2001, "not well-formed XML, or a DTD: " + e.getMessage());
        }
    }

    private static String clTRID(Element command) throws Refusal {
        Element id = child(command, EPP, "clTRID");
        if (id == null) {
            return null;
        }
        String value = text(id);
        if (value.length() < 3 || value.length() > 64) {
            throw new Refusal(2001, "clTRID is 3 to 64 characters (RFC 5730 trIDStringType)");
        }
        return value;
    }

    private static Element only(Element parent) throws Refusal {
        List<Element> children = elements(parent);
        if (children.isEmpty()) {
            throw new Refusal(2001, "<" + parent.getLocalName() + "> is empty");
        }
        if (children.size() > 1 && !parent.getLocalName().equals("command")) {
            throw new Refusal(2001, "<" + parent.getLocalName() + "> holds more than one element");
        }
        return children.get(0);
    }

    private static Element required(Element parent, String namespace, String name) throws Refusal {
        Element e = child(parent, namespace, name);
        if (e == null) {
            throw new Refusal(2003, "<" + parent.getLocalName() + "> needs <" + name + ">");
        }
        return e;
    }

    private static int number(Element e, int max) throws Refusal {
        String value = text(e);
        try {
            int n = Integer.parseInt(value);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new Refusal(2005, "secDNS:" + e.getLocalName() + " '" + value + "' is not a number from 0 to " + max);
    }

    private static Element child(Element parent, String namespace, String name) {
        List<Element> found = children(parent, namespace, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String namespace, String name) {
        List<Element> out = new ArrayList<>();
        for (Element e : elements(parent)) {
            if (namespace.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Element> elements(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element e) {
        return e.getTextContent().strip();
    }

    // --- answers ---

    private static String greeting() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?><epp xmlns=\"" + EPP + "\"><greeting>"
                + "<svID>mxshift lab registry</svID><svDate>" + Instant.now() + "</svDate><svcMenu><version>1.0</version><lang>en</lang>"
                + "<objURI>" + DOMAIN + "</objURI><svcExtension><extURI>" + SEC_DNS + "</extURI></svcExtension></svcMenu>"
                + "<dcp><access><all/></access><statement><purpose><admin/><prov/></purpose><recipient><ours/><public/></recipient>"
                + "<retention><stated/></retention></statement></dcp></greeting></epp>";
    }

    private String result(int code, String message, String reason, String clTRID, String data) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?><epp xmlns=\"" + EPP + "\"><response><result code=\"" + code
                + "\"><msg>" + escape(message) + "</msg>"
                + (reason == null ? "" : "<extValue><value><text>-</text></value><reason>" + escape(reason) + "</reason></extValue>")
                + "</result>" + data + "<trID>" + (clTRID == null ? "" : "<clTRID>" + escape(clTRID) + "</clTRID>")
                + "<svTRID>LAB-EPP-" + transactions.incrementAndGet() + "</svTRID></trID></response></epp>";
    }

    /** RFC 5730 section 3's texts. */
    static String message(int code) {
        return switch (code) {
            case 1000 -> "Command completed successfully";
            case 1500 -> "Command completed successfully; ending session";
            case 2000 -> "Unknown command";
            case 2001 -> "Command syntax error";
            case 2002 -> "Command use error";
            case 2003 -> "Required parameter missing";
            case 2005 -> "Parameter value syntax error";
            case 2100 -> "Unimplemented protocol version";
            case 2101 -> "Unimplemented command";
            case 2102 -> "Unimplemented option";
            case 2103 -> "Unimplemented extension";
            case 2200 -> "Authentication error";
            case 2303 -> "Object does not exist";
            case 2306 -> "Parameter value policy error";
            case 2307 -> "Unimplemented object service";
            case 2400 -> "Command failed";
            case 2501 -> "Authentication error; server closing connection";
            default -> "Command failed";
        };
    }

    private static String dsXml(Ds d) {
        return "<secDNS:dsData><secDNS:keyTag>" + d.keyTag() + "</secDNS:keyTag><secDNS:alg>" + d.alg() + "</secDNS:alg><secDNS:digestType>"
                + d.digestType() + "</secDNS:digestType><secDNS:digest>" + d.digest() + "</secDNS:digest></secDNS:dsData>";
    }

    private static String keyXml(Key k) {
        return "<secDNS:keyData><secDNS:flags>" + k.flags() + "</secDNS:flags><secDNS:protocol>" + k.protocol() + "</secDNS:protocol>"
                + "<secDNS:alg>" + k.alg() + "</secDNS:alg><secDNS:pubKey>" + k.pubKey() + "</secDNS:pubKey></secDNS:keyData>";
    }

    private static String roid(String domain) {
        return "D" + Integer.toHexString(domain.hashCode()).toUpperCase(Locale.ROOT) + "-LAB";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void write(DataOutputStream out, String document) throws IOException {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length + 4);
        out.write(bytes);
        out.flush();
    }

    private static void log(String line) {
        System.out.println(Instant.now() + " " + line);
        System.out.flush();
    }

    private static javax.net.ssl.TrustManager[] trustManagers(Path caFile) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(Files.readAllBytes(caFile)))) {
            store.setCertificateEntry("client-ca-" + i++, ca);
        }
        javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static javax.net.ssl.KeyManager[] keyManagers(Path keyFile, Path chainFile) throws Exception {
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
        var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body)));
        List<Certificate> chain = new ArrayList<>(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(chainFile))));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("epp", key, new char[0], chain.toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, new char[0]);
        return factory.getKeyManagers();
    }
}
