package dev.mxshift.discovery.mtasts;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.MtaStsPolicy;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches a domain's MTA-STS policy the way RFC 8461 section 3.3 says senders do: HTTPS to
 * {@code mta-sts.<domain>}, a certificate valid for that name under the trusted roots, status 200 only (no
 * redirects), {@code text/plain}, and a body parsed strictly. The address comes from discovery's own DNS answers,
 * so the fetch sees what the configured resolver sees; the port is 443 except where a lab puts it elsewhere.
 * The handshake is JSSE's; the programs that fetch install BouncyCastle's arithmetic for it
 * ({@code CryptoTuning.installJsseHandshakeArithmetic()}, decision 0037).
 */
public final class MtaStsPolicyFetcher implements AutoCloseable {

    /** The policy, or why there is none; {@code from} is the address it was fetched from. */
    public record Fetch(MtaStsPolicy policy, String error, String from) {
        public boolean ok() {
            return policy != null;
        }
    }

    /** RFC 8461 section 3.3 leaves the limit to senders; 64 KiB is what common senders allow. */
    static final int MAX_BODY = 64 * 1024;

    private final SSLContext tls;
    private final int port;
    private final Duration timeout;
    private final ExecutorService executor;

    public MtaStsPolicyFetcher(SSLContext tls, int port, Duration timeout, int parallel) {
        this.tls = tls;
        this.port = port;
        this.timeout = timeout;
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(parallel, r -> {
            Thread thread = new Thread(r, "mta-sts-fetch-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Trusts the JVM's roots, or only the CA certificates of a PEM file when one is given. */
    public static SSLContext trusting(Path caFile) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                factory.init((KeyStore) null);
            } else {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                try (InputStream in = Files.newInputStream(caFile)) {
                    for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("ca-" + i++, certificate);
                    }
                }
                if (i == 0) {
                    throw new IllegalArgumentException(caFile + " holds no PEM certificate");
                }
                factory.init(store);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the CA file " + caFile + ": " + e.getMessage(), e);
        }
    }

    public CompletionStage<Fetch> fetch(DomainName domain, List<InetAddress> addresses) {
        String host = "mta-sts." + domain.value();
        if (addresses.isEmpty()) {
            return CompletableFuture.completedFuture(new Fetch(null, host + " has no address record, so no policy can be fetched", ""));
        }
        return CompletableFuture.supplyAsync(() -> {
            String lastError = "";
            String from = "";
            for (InetAddress address : addresses) {
                from = address.getHostAddress() + ":" + port;
                try {
                    return new Fetch(MtaStsPolicy.parse(get(host, new InetSocketAddress(address, port))), "", from);
                } catch (InvalidValueException e) {
                    return new Fetch(null, "the policy at https://" + host + "/.well-known/mta-sts.txt is invalid: " + e.getMessage(), from);
                } catch (IOException | RuntimeException e) {
                    lastError = "https://" + host + "/.well-known/mta-sts.txt via " + from + ": " + e.getMessage();
                }
            }
            return new Fetch(null, lastError, from);
        }, executor);
    }

    private String get(String host, InetSocketAddress address) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(address, (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, address.getPort(), true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(host)));
                // The certificate must be valid for mta-sts.<domain> (RFC 8461 section 3.3).
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write(("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: " + host
                        + "\r\nUser-Agent: mxshift\r\nAccept: text/plain\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return HttpResponseReader.read(socket.getInputStream(), MAX_BODY);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Just enough HTTP/1.1 for one GET with Connection: close: status, headers, and a sized, chunked or closed body. */
    static final class HttpResponseReader {

        private HttpResponseReader() {
        }

        static String read(InputStream in, int maxBody) throws IOException {
            String status = line(in);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x response: '" + status + "'");
            }
            long length = -1;
            boolean chunked = false;
            String contentType = "";
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "content-type" -> contentType = value.toLowerCase(Locale.ROOT);
                    default -> {
                    }
                }
            }
            if (!parts[1].equals("200")) {
                // Senders follow no redirect and accept nothing but 200 (RFC 8461 section 3.3).
                throw new IOException("HTTP status " + parts[1] + " (only 200 is a policy; redirects are not followed)");
            }
            if (!contentType.startsWith("text/plain")) {
                throw new IOException("Content-Type is '" + contentType + "', not text/plain (RFC 8461 section 3.2)");
            }
            if (length > maxBody) {
                throw new IOException("the policy is " + length + " bytes, more than " + maxBody);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                    copy(in, body, size, maxBody);
                    line(in);
                }
            } else {
                copy(in, body, length, maxBody);
            }
            return body.toString(StandardCharsets.UTF_8);
        }

        private static void copy(InputStream in, ByteArrayOutputStream body, long length, int maxBody) throws IOException {
            byte[] buffer = new byte[8192];
            long left = length < 0 ? Long.MAX_VALUE : length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    if (length >= 0) {
                        throw new IOException("the connection closed before the whole policy arrived");
                    }
                    return;
                }
                body.write(buffer, 0, n);
                left -= n;
                if (body.size() > maxBody) {
                    throw new IOException("the policy is longer than " + maxBody + " bytes");
                }
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the connection closed in the middle of the response head");
                }
                if (line.length() > 8192) {
                    throw new IOException("a response header line is longer than 8192 bytes");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }
}
