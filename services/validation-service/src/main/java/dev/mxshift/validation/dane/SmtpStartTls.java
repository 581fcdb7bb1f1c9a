package dev.mxshift.validation.dane;

import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Connects to an SMTP server, says EHLO, asks for STARTTLS (RFC 3207) and returns the certificate chain the
 * server presents. The chain is captured, not judged: whether it is trustworthy is decided by {@link DaneMatcher}
 * against the host's TLSA records, which is why no PKI trust store takes part here. SNI carries the MX host name
 * (RFC 7672 section 8.1).
 *
 * <p>The handshake runs in BoringSSL through Conscrypt when its native library loads (its jar carries it for
 * x86-64 Linux, x86-64 macOS and Windows), else in the JDK's JSSE; system property
 * {@value #TLS_STACK_PROPERTY}{@code =jdk} chooses JSSE.
 * A handshake was about 40% of a validation's CPU in JSSE, most of it Java big-number and curve arithmetic that
 * BoringSSL does natively (decision 0019, addendum). Either way every probe is a full handshake in a context of its
 * own: no session is resumed, so the chain returned is the one the server presented on this connection.
 */
public final class SmtpStartTls {

    /** The TLS session the server offered. */
    public record Session(List<X509Certificate> chain, String protocol, String cipherSuite) {
    }

    /** The server did not offer or complete STARTTLS; {@code reply} is what it said last. */
    public static final class NoStartTls extends IOException {
        private static final long serialVersionUID = 1L;

        public NoStartTls(String message) {
            super(message);
        }
    }

    /** Set to {@code jdk} to run the handshake in the JDK's JSSE even where Conscrypt loads. */
    public static final String TLS_STACK_PROPERTY = "mxshift.probe.tls";

    private static final Logger log = LoggerFactory.getLogger(SmtpStartTls.class);
    private static final Provider CONSCRYPT = conscrypt(System.getProperty(TLS_STACK_PROPERTY, ""));

    private SmtpStartTls() {
    }

    public static Session probe(InetSocketAddress server, String mxHost, String ehloName, Duration timeout) throws IOException {
        return probe(server, mxHost, ehloName, timeout, CONSCRYPT);
    }

    /** The probe with the handshake in {@code tls}'s SSLContext, or in the JDK's JSSE when it is null. */
    static Session probe(InetSocketAddress server, String mxHost, String ehloName, Duration timeout, Provider tls) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(server, (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = plain.getOutputStream();
            expect(in, "220", server, "greeting");
            send(out, "EHLO " + ehloName);
            List<String> extensions = expect(in, "250", server, "EHLO");
            if (extensions.stream().noneMatch(line -> line.substring(4).trim().equalsIgnoreCase("STARTTLS"))) {
                throw new NoStartTls(server + " does not offer STARTTLS (EHLO said " + extensions + ")");
            }
            send(out, "STARTTLS");
            expect(in, "220", server, "STARTTLS");
            List<X509Certificate> chain = new ArrayList<>();
            SSLContext context = tls != null ? SSLContext.getInstance("TLS", tls) : SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{new CapturingTrustManager(chain)}, null);
            try (SSLSocket secured = (SSLSocket) context.getSocketFactory().createSocket(plain, mxHost, server.getPort(), true)) {
                SSLParameters parameters = secured.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(mxHost)));
                secured.setSSLParameters(parameters);
                secured.startHandshake();
                List<X509Certificate> presented = new ArrayList<>();
                for (Certificate certificate : secured.getSession().getPeerCertificates()) {
                    presented.add((X509Certificate) certificate);
                }
                Session session = new Session(List.copyOf(presented), secured.getSession().getProtocol(), secured.getSession().getCipherSuite());
                send(secured.getOutputStream(), "QUIT");
                return session;
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS could not be set up for " + server + ": " + e.getMessage(), e);
        }
    }

    /** What runs the handshakes in this JVM, for evidence and benchmark summaries. */
    public static String tlsStack() {
        if (CONSCRYPT == null) {
            return "the JDK's JSSE";
        }
        Conscrypt.Version version = Conscrypt.version();
        return "BoringSSL via Conscrypt " + version.major() + "." + version.minor() + "." + version.patch();
    }

    /** Conscrypt's provider, or null for the JDK's JSSE: when the setting says {@code jdk} or the native part does not load. */
    static Provider conscrypt(String setting) {
        if ("jdk".equalsIgnoreCase(setting.trim())) {
            return null;
        }
        if (!setting.isBlank() && !"conscrypt".equalsIgnoreCase(setting.trim())) {
            throw new IllegalArgumentException(TLS_STACK_PROPERTY + " is '" + setting + "'; it takes conscrypt (the default) or jdk");
        }
        try {
            Conscrypt.checkAvailability();
            return Conscrypt.newProvider();
        } catch (LinkageError | RuntimeException e) {
            log.warn("Conscrypt's native library does not load here ({}); STARTTLS probes run in the JDK's JSSE, which costs"
                    + " more CPU per probe", e.toString());
            return null;
        }
    }

    private static void send(OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one (possibly multi-line) reply and checks its code (RFC 5321 section 4.2). */
    private static List<String> expect(BufferedReader in, String code, InetSocketAddress server, String what) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new NoStartTls(server + " closed the connection after " + what + " (" + lines + ")");
            }
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code)) {
            throw new NoStartTls(server + " answered " + what + " with '" + line + "'");
        }
        return lines;
    }

    /**
     * Records the chain and accepts it: the decision is DANE's (see the class comment). It is an
     * {@link X509ExtendedTrustManager} so that JSSE uses it as it is: a plain {@code X509TrustManager} is wrapped in
     * one that checks the chain against the JDK's certificate algorithm constraints, a PKIX judgement that RFC 7672
     * leaves to the TLSA records (DANE-EE: no checks on the certificate at all, section 3.1.1) and that took ~4% of
     * a validation run's CPU. The handshake's own signatures are still checked by JSSE against the negotiated scheme.
     */
    private static final class CapturingTrustManager extends X509ExtendedTrustManager {
        private final List<X509Certificate> chain;

        CapturingTrustManager(List<X509Certificate> chain) {
            this.chain = chain;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType) {
            chain.clear();
            chain.addAll(List.of(presented));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType, Socket socket) {
            checkServerTrusted(presented, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType, SSLEngine engine) {
            checkServerTrusted(presented, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType) throws CertificateException {
            throw new CertificateException("this probe is a client; it never checks client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType, Socket socket) throws CertificateException {
            checkClientTrusted(presented, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType, SSLEngine engine) throws CertificateException {
            checkClientTrusted(presented, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
