package dev.mxshift.validation.dane;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TlsaRecord;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe captures the chain without judging it: a DANE-EE server's certificate is matched by its TLSA record
 * alone (RFC 7672 section 3.1.1), even when PKIX would refuse it. Here the certificate is signed with MD5, which the
 * JDK's certificate algorithm constraints refuse (the probe failed the handshake on it until its trust manager stopped
 * being wrapped in JSSE's PKIX constraint check). Conscrypt hands the chain to the same trust manager.
 */
class SmtpStartTlsCaptureTest {

    private static final String HOST = "contoso-com.o-v1.mx.microsoft";

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mxshift.validation.dane.TlsStacks#both")
    void aCertificateThatPkixWouldRefuseIsCapturedForTheTlsaRecordsToJudge(String stack, Provider tls) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X509Certificate md5Signed = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=" + HOST), BigInteger.TWO, Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=" + HOST), keys.getPublic()).build(new JcaContentSignerBuilder("MD5withRSA").build(keys.getPrivate())));

        ExecutorService server = Executors.newSingleThreadExecutor();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SSLContext serverTls = serverContext(keys, md5Signed);
            Future<String> served = server.submit(() -> OneStartTlsSession.serve(listener, serverTls, parameters -> { }));
            SmtpStartTls.Session session = SmtpStartTls.probe(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
                    HOST, "probe.mxshift.invalid", Duration.ofSeconds(10), tls);
            assertThat(session.chain()).containsExactly(md5Signed);
            assertThat(served.get()).isEqualTo("QUIT");

            TlsaRecord daneEe = TlsaRecord.of(3, 1, 0, md5Signed.getPublicKey().getEncoded());
            assertThat(DaneMatcher.match(List.of(daneEe), session.chain(), List.of(DomainName.of(HOST)), now))
                    .isInstanceOf(DaneVerdict.Validated.class);
        } finally {
            server.shutdownNow();
        }
    }

    private static SSLContext serverContext(KeyPair keys, X509Certificate certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keys.getPrivate(), new char[0], new Certificate[]{certificate});
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        return tls;
    }
}
