package dev.mxshift.dnspush.parent;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * EPP over TLS over TCP (RFC 5734): TLS 1.2 or 1.3 only, the registry's certificate checked against the configured CA
 * and the host name (RFC 5734 section 9), an optional client certificate, and each EPP document framed by a 4-byte
 * big-endian length that counts itself (RFC 5734 section 4). One instance is one connection.
 */
final class EppTransport implements AutoCloseable {

    /** No EPP answer of ours comes near this; a larger length is a broken stream, not an answer to read. */
    static final int MAX_FRAME = 1 << 20;

    private final SSLSocket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private EppTransport(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    static EppTransport connect(SSLContext tls, String host, int port, Duration timeout) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            List<String> protocols = new ArrayList<>();
            for (String p : socket.getSupportedProtocols()) {
                if (p.equals("TLSv1.3") || p.equals("TLSv1.2")) {
                    protocols.add(p);
                }
            }
            socket.setEnabledProtocols(protocols.toArray(String[]::new));
            SSLParameters parameters = socket.getSSLParameters();
            // RFC 5734 section 9 and RFC 6125: the server's certificate must name the host we meant to reach.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return new EppTransport(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    void write(String document) throws IOException {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length + 4);
        out.write(bytes);
        out.flush();
    }

    byte[] read() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            throw new EOFException("the registry closed the connection");
        }
        if (length <= 4 || length > MAX_FRAME) {
            throw new IOException("the registry sent an EPP data unit of " + length + " bytes (RFC 5734 section 4: a 4-byte length"
                    + " that counts itself, then the document); not reading it");
        }
        byte[] document = new byte[length - 4];
        in.readFully(document);
        return document;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing after the session ended; nothing left to save
        }
    }

    /**
     * The TLS context for one registry: its CA certificates (a PEM file) as the only trust anchors, and optionally a
     * client certificate chain with its PKCS#8 key (many registries require one besides the login).
     */
    static SSLContext context(Path caFile, Path clientChain, Path clientKey) throws IOException, GeneralSecurityException {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate ca : x509.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(caFile)))) {
            trust.setCertificateEntry("registry-ca-" + i++, ca);
        }
        if (i == 0) {
            throw new GeneralSecurityException(caFile + " holds no certificate");
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (clientChain != null) {
            List<Certificate> chain = new ArrayList<>(x509.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(clientChain))));
            if (chain.isEmpty()) {
                throw new GeneralSecurityException(clientChain + " holds no certificate");
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] none = new char[0];
            keys.setKeyEntry("client", privateKey(clientKey, chain.get(0).getPublicKey().getAlgorithm()), none, chain.toArray(Certificate[]::new));
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, none);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static PrivateKey privateKey(Path file, String algorithm) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            // Never quote the file: it is a key.
            throw new GeneralSecurityException(file + " is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
