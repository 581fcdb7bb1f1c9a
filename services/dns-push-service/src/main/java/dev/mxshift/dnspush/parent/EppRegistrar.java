package dev.mxshift.dnspush.parent;

import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.parent.DsSubmission;
import dev.mxshift.connector.parent.ParentChannel;
import org.w3c.dom.Document;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The DNSSEC stage's {@code epp} parent path: mxshift speaks EPP to the registry itself, as a registrar-hoster's own
 * systems do (RFC 5730 sessions over RFC 5734 TLS, RFC 5731 domains, RFC 5910 secDNS-1.1). One session per call:
 * greeting, login, {@code domain:info} for the secDNS data the registry holds, then a {@code domain:update} that leaves
 * exactly the submitted DS (or, for a registry that takes keys, exactly the submitted key-signing DNSKEYs), or nothing
 * when that is already so; withdrawing removes all ({@code <secDNS:rem><secDNS:all>true}). Logout ends each session.
 * The registry's word is only its word: the validation service then checks every server of the parent zone.
 */
public final class EppRegistrar implements ParentChannel {

    /** The registry's interface (RFC 5910 section 4): it takes DS digests, or the keys and makes the DS itself. */
    enum Interface { DS_DATA, KEY_DATA }

    private final ConnectorConfig config;
    private final String id;
    private final String host;
    private final int port;
    private final String clientId;
    private final Interface secDnsInterface;
    private final Duration timeout;
    private final SSLContext tls;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong commands = new AtomicLong();

    public EppRegistrar(ConnectorConfig config) throws ConnectorException {
        this.config = config;
        this.id = config.id();
        this.host = config.required("host");
        this.port = integer(config, "port", "700", 1, 65535);
        this.clientId = config.required("client-id");
        if (clientId.length() < 3 || clientId.length() > 16) {
            // RFC 5730 section 4 (clIDType): a token of 3 to 16 characters
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "registrar " + id + ": client-id '" + clientId
                    + "' is not 3 to 16 characters long (RFC 5730 clIDType)");
        }
        String password = secret();
        if (password.length() < 6 || password.length() > 16) {
            // RFC 5730 section 4 (pwType); the secret itself is never quoted
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "registrar " + id + ": the password " + config.settings().get("password")
                    + " names is " + password.length() + " characters long; EPP passwords are 6 to 16 (RFC 5730 pwType)");
        }
        String face = config.optional("interface", "ds-data");
        this.secDnsInterface = switch (face) {
            case "ds-data" -> Interface.DS_DATA;
            case "key-data" -> Interface.KEY_DATA;
            default -> throw new ConnectorException(ConnectorException.Kind.PERMANENT, "registrar " + id + ": interface '" + face
                    + "' is not one of ds-data (the registry takes DS digests) or key-data (it takes DNSKEYs, RFC 5910 section 4.2)");
        };
        this.timeout = Duration.ofSeconds(integer(config, "timeout-seconds", "30", 1, 600));
        String chain = config.optional("client-certificate", null);
        String key = config.optional("client-key", null);
        if ((chain == null) != (key == null)) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "registrar " + id
                    + ": client-certificate and client-key go together (a PEM chain and its PKCS#8 PEM key); one is missing");
        }
        String ca = config.required("ca-file");
        try {
            this.tls = EppTransport.context(Path.of(ca), chain == null ? null : Path.of(chain), key == null ? null : Path.of(key));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "registrar " + id + ": cannot build its TLS setup from ca-file "
                    + ca + (chain == null ? "" : ", client-certificate " + chain + " and client-key " + key) + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), null);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String submit(DsSubmission submission) throws ConnectorException {
        String zone = domain(submission.zone());
        List<EppXml.DsData> ds = new ArrayList<>();
        List<EppXml.KeyData> keys = new ArrayList<>();
        try {
            for (String rdata : submission.ds()) {
                ds.add(EppXml.DsData.parse(rdata));
            }
            for (String rdata : submission.dnskeys()) {
                EppXml.KeyData key = EppXml.KeyData.parse(rdata);
                // Only key-signing keys (the SEP bit, RFC 4034 section 2.1.1) stand behind a DS; a registry gets those only.
                if ((key.flags() & 1) == 1) {
                    keys.add(key);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "registrar " + id + ": " + e.getMessage());
        }
        if (secDnsInterface == Interface.KEY_DATA && keys.isEmpty()) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "registrar " + id + " takes DNSKEYs (interface key-data) but"
                    + " no key-signing DNSKEY of " + zone + " was given (its DNS connector cannot read its keys); use the ds-data"
                    + " interface, or the manual path for " + submission.parent());
        }
        return session("set the DS of " + zone, session -> {
            EppXml.SecDnsInfo held = session.info(zone);
            if (secDnsInterface == Interface.DS_DATA) {
                Set<EppXml.DsData> have = new LinkedHashSet<>(held.ds());
                Set<EppXml.DsData> want = new LinkedHashSet<>(ds);
                if (have.equals(want) && held.keys().isEmpty()) {
                    return "registry " + id + " already holds exactly the DS " + rdata(want) + " of " + zone + "; no update sent";
                }
                List<EppXml.DsData> remove = have.stream().filter(d -> !want.contains(d)).toList();
                List<EppXml.DsData> add = want.stream().filter(d -> !have.contains(d)).toList();
                EppXml.Response done = session.update(zone, EppXml.update(zone, false, remove, held.keys(), add, List.of(), session.nextId()));
                return "registry " + id + " set the DS of " + zone + " to " + rdata(want) + " (removed " + rdata(remove) + ", added "
                        + rdata(add) + "): " + said(done);
            }
            Set<EppXml.KeyData> have = new LinkedHashSet<>(held.keys());
            Set<EppXml.KeyData> want = new LinkedHashSet<>(keys);
            if (have.equals(want) && held.ds().isEmpty()) {
                return "registry " + id + " already holds exactly the key-signing DNSKEYs of " + zone + " (key tags from DS "
                        + rdata(ds) + "); no update sent";
            }
            // DS the registry holds without their keys (published before, another way) can only go all at once: a registry of
            // this interface takes no dsData; RFC 5910 section 5.2.5 removes before it adds, so the swap is one update.
            boolean replaceAll = !held.ds().isEmpty();
            List<EppXml.KeyData> remove = replaceAll ? held.keys() : have.stream().filter(k -> !want.contains(k)).toList();
            List<EppXml.KeyData> add = replaceAll ? List.copyOf(want) : want.stream().filter(k -> !have.contains(k)).toList();
            EppXml.Response done = session.update(zone, EppXml.update(zone, replaceAll, List.of(), replaceAll ? List.of() : remove,
                    List.of(), add, session.nextId()));
            return "registry " + id + " took " + add.size() + " DNSKEY(s) of " + zone + " and removed " + remove.size()
                    + (replaceAll ? " and the DS " + rdata(held.ds()) : "") + ", for the DS " + rdata(ds) + ": " + said(done);
        });
    }

    @Override
    public String withdraw(String zone, String parent) throws ConnectorException {
        String name = domain(zone);
        return session("remove the DS of " + name, session -> {
            EppXml.SecDnsInfo held = session.info(name);
            if (held.ds().isEmpty() && held.keys().isEmpty()) {
                return "registry " + id + " holds no DS for " + name + "; no update sent";
            }
            EppXml.Response done = session.update(name, EppXml.update(name, true, List.of(), List.of(), List.of(), List.of(), session.nextId()));
            return "registry " + id + " removed every DS of " + name + " (it held " + rdata(held.ds())
                    + (held.keys().isEmpty() ? "" : " and " + held.keys().size() + " DNSKEY(s)") + "): " + said(done);
        });
    }

    // --- the session ---

    private interface Work {
        String run(Session session) throws ConnectorException, IOException, EppXml.EppSyntaxException;
    }

    /** One logged-in EPP session; tracks whether an update went out, which makes a lost answer an unknown outcome. */
    final class Session {
        private final EppTransport transport;
        private final String prefix;
        private boolean updateSent;

        private Session(EppTransport transport) {
            this.transport = transport;
            byte[] bytes = new byte[4];
            random.nextBytes(bytes);
            this.prefix = "mxshift-" + HexFormat.of().formatHex(bytes) + "-";
        }

        /** A client transaction id unique per command (RFC 5730 section 2.5): a random per-session prefix and a counter. */
        String nextId() {
            return prefix + commands.incrementAndGet();
        }

        EppXml.SecDnsInfo info(String zone) throws ConnectorException, IOException, EppXml.EppSyntaxException {
            EppXml.Response response = send(EppXml.info(zone, nextId()), "read the secDNS data of " + zone);
            return EppXml.secDnsInfo(response.document());
        }

        EppXml.Response update(String zone, String document) throws ConnectorException, IOException, EppXml.EppSyntaxException {
            updateSent = true;
            return send(document, "update the secDNS data of " + zone);
        }

        private EppXml.Response send(String document, String what) throws ConnectorException, IOException, EppXml.EppSyntaxException {
            transport.write(document);
            EppXml.Response response = EppXml.response(EppXml.parse(transport.read()));
            String sent = clTRID(document);
            if (response.clTRID() != null && !response.clTRID().equals(sent)) {
                throw new EppXml.EppSyntaxException("the answer names the transaction " + response.clTRID() + ", not " + sent);
            }
            if (!response.success()) {
                throw failure(id, what, response);
            }
            return response;
        }
    }

    private String session(String what, Work work) throws ConnectorException {
        Session session = null;
        try (EppTransport transport = EppTransport.connect(tls, host, port, timeout)) {
            List<String> offered = EppXml.greetingServices(EppXml.parse(transport.read()));
            if (!offered.contains(EppXml.DOMAIN) || !offered.contains(EppXml.SEC_DNS)) {
                throw new ConnectorException(ConnectorException.Kind.PERMANENT, "registrar " + id + ": the registry at " + host + ":" + port
                        + " offers " + offered + ", without " + (offered.contains(EppXml.DOMAIN) ? EppXml.SEC_DNS : EppXml.DOMAIN)
                        + "; mxshift needs domain-1.0 with the secDNS-1.1 extension (RFC 5910)");
            }
            session = new Session(transport);
            String login = session.nextId();
            // The login document holds the password: it is written to the socket and nowhere else (invariant 5).
            transport.write(EppXml.login(clientId, secret(), login));
            EppXml.Response loggedIn = EppXml.response(EppXml.parse(transport.read()));
            if (!loggedIn.success()) {
                throw failure(id, "log in as " + clientId, loggedIn);
            }
            String result;
            try {
                result = work.run(session);
            } finally {
                logout(session, transport);
            }
            return result;
        } catch (SSLHandshakeException e) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "registrar " + id + ": the TLS handshake with " + host + ":" + port
                    + " failed (" + e.getMessage() + "): is its certificate issued under ca-file and for the name " + host + "?", null);
        } catch (ConnectException e) {
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, "registrar " + id + ": " + what + ": cannot connect to "
                    + host + ":" + port + " (" + e.getMessage() + ")", null);
        } catch (IOException e) {
            String text = "registrar " + id + ": " + what + ": the EPP session with " + host + ":" + port + " broke ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()) + ")";
            // An update whose answer was lost may have been applied: the step is repeated, and it reads before it writes.
            if (session != null && session.updateSent) {
                throw ConnectorException.outcomeUnknown(text, null);
            }
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, text, null);
        } catch (EppXml.EppSyntaxException e) {
            String text = "registrar " + id + ": " + what + ": the registry at " + host + ":" + port + " answered outside EPP: " + e.getMessage();
            if (session != null && session.updateSent) {
                throw ConnectorException.outcomeUnknown(text, null);
            }
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, text, null);
        }
    }

    /** Logout is a courtesy (RFC 5730 section 2.9.1.2); a session that cannot say goodbye has still done its work. */
    private static void logout(Session session, EppTransport transport) {
        try {
            transport.write(EppXml.logout(session.nextId()));
            transport.read();
        } catch (IOException ignored) {
            // the registry closes the connection after 1500, or its idle timer does
        }
    }

    /**
     * RFC 5730 section 3's result codes as what the caller should do: 2400 and the 2500s but 2501 (the command failed on
     * the registry's side, the session was closed) are worth another try; 2200 and 2501 are refused credentials; every
     * other 2xxx is the registry saying no to this request, which a repeat does not change. The server's own text is kept.
     */
    static ConnectorException failure(String id, String what, EppXml.Response response) {
        int code = response.code();
        ConnectorException.Kind kind = code == 2200 || code == 2501 ? ConnectorException.Kind.AUTHENTICATION
                : code == 2400 || code == 2500 || code == 2502 ? ConnectorException.Kind.RETRYABLE
                : ConnectorException.Kind.PERMANENT;
        String hint = switch (code) {
            case 2200, 2501 -> ": check client-id and the password the registrar's settings name";
            case 2201 -> ": this registrar may not change the domain (another registrar sponsors it?)";
            case 2303 -> ": the registry does not know the domain; is it registered, and under this parent?";
            case 2304 -> ": the domain's status forbids updates (clientUpdateProhibited or serverUpdateProhibited?); lift it at the registrar";
            case 2306 -> ": the registry's policy refuses this DNSSEC data";
            case 2307, 2103 -> ": the registry does not offer what mxshift needs (domain-1.0 with secDNS-1.1)";
            default -> "";
        };
        return new ConnectorException(kind, "registrar " + id + ": " + what + ": EPP " + code + " " + response.message() + hint
                + (response.svTRID() == null ? "" : " (svTRID " + response.svTRID() + ")"));
    }

    private String secret() throws ConnectorException {
        try {
            return config.secret("password");
        } catch (IllegalStateException | IllegalArgumentException e) {
            // SecretReference's messages name the reference, never the value
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "registrar " + id + ": " + e.getMessage());
        }
    }

    private static String said(EppXml.Response response) {
        return "EPP " + response.code() + " " + response.message() + (response.svTRID() == null ? "" : " (svTRID " + response.svTRID() + ")");
    }

    private static String clTRID(String document) {
        int start = document.lastIndexOf("<clTRID>");
        int end = document.lastIndexOf("</clTRID>");
        return start < 0 || end < start ? null : document.substring(start + "<clTRID>".length(), end);
    }

    private static String rdata(java.util.Collection<EppXml.DsData> ds) {
        return ds.stream().map(EppXml.DsData::rdata).toList().toString();
    }

    private static String domain(String zone) {
        return zone.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
    }

    private static int integer(ConnectorConfig config, String key, String fallback, int min, int max) throws ConnectorException {
        String text = config.optional(key, fallback);
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConnectorException(ConnectorException.Kind.PERMANENT, "registrar " + config.id() + ": " + key + " '" + text
                + "' is not a number from " + min + " to " + max);
    }
}
