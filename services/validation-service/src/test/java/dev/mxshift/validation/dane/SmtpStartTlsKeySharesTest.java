package dev.mxshift.validation.dane;

import dev.mxshift.lab.LabPki;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.AlgorithmConstraints;
import java.security.CryptoPrimitive;
import java.security.Provider;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The STARTTLS probe still completes the handshake when the server picks P-256 (the lab's Postfix always picks
 * X25519, so this uses a small STARTTLS server of its own that refuses X25519): in JSSE, whose P-256 key share is
 * SunEC's (the probe installs no provider, decision 0037), and in Conscrypt, whose ClientHello carries an X25519 share only, so the
 * server asks again for P-256 (a HelloRetryRequest, RFC 8446 section 4.1.4).
 */
class SmtpStartTlsKeySharesTest {

    private static final LabPki PKI = LabPki.create();
    private static final String HOST = "contoso-com.o-v1.mx.microsoft";

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mxshift.validation.dane.TlsStacks#both")
    void aServerThatPicksP256CompletesTheHandshake(String stack, Provider tls) throws Exception {
        Set<String> groupsOffered = ConcurrentHashMap.newKeySet();
        SSLContext serverTls = serverContext();
        ExecutorService server = Executors.newSingleThreadExecutor();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<String> served = server.submit(() -> OneStartTlsSession.serve(listener, serverTls,
                    parameters -> parameters.setAlgorithmConstraints(new OnlyP256(groupsOffered))));
            SmtpStartTls.Session session = SmtpStartTls.probe(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
                    HOST, "probe.mxshift.invalid", Duration.ofSeconds(10), tls);
            assertThat(session.protocol()).isEqualTo("TLSv1.3");
            assertThat(session.chain()).containsExactlyElementsOf(PKI.target().chain());
            assertThat(served.get()).isEqualTo("QUIT");
            assertThat(groupsOffered).as("the server weighed the client's shares and could take only P-256")
                    .contains("x25519", "secp256r1");
        } finally {
            server.shutdownNow();
        }
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("target", PKI.target().keys().getPrivate(), new char[0], PKI.target().chain().toArray(new Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        return tls;
    }

    /** Refuses every key exchange group but P-256 (JDK 17 has no per-socket group list; its constraints do the job). */
    private record OnlyP256(Set<String> groupsOffered) implements AlgorithmConstraints {
        private static final Set<String> OTHER_GROUPS = Set.of("x25519", "x448", "secp384r1", "secp521r1", "ffdhe2048", "ffdhe3072",
                "ffdhe4096", "ffdhe6144", "ffdhe8192");

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, java.security.AlgorithmParameters parameters) {
            if (primitives.contains(CryptoPrimitive.KEY_AGREEMENT) && algorithm != null) {
                groupsOffered.add(algorithm);
                return !OTHER_GROUPS.contains(algorithm);
            }
            return true;
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
            return true;
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key, java.security.AlgorithmParameters parameters) {
            return true;
        }
    }
}
