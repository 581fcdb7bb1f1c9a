package dev.mxshift.lab;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * The lab's certificates, made fresh at every {@code lab up}: a lab CA, the certificate the mx.microsoft target
 * endpoint presents (issued by the CA, so both DANE-EE 3 1 1 and DANE-TA 2 1 1 can match it), a self-signed one
 * for the endpoint whose certificate does not match the published TLSA, and one for the legacy endpoint.
 */
public final class LabPki {

    public record Issued(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {
        /** SHA-256 of the SubjectPublicKeyInfo: the data of a selector-1, matching-type-1 TLSA record. */
        public String spkiSha256() {
            return LabPki.spkiSha256(certificate);
        }
    }

    private final Issued ca;
    private final Issued target;
    private final Issued mismatch;
    private final Issued legacy;

    private LabPki(Issued ca, Issued target, Issued mismatch, Issued legacy) {
        this.ca = ca;
        this.target = target;
        this.mismatch = mismatch;
        this.legacy = legacy;
    }

    public static LabPki create() {
        KeyPair caKeys = newKeys();
        X509Certificate caCert = sign("CN=mxshift lab CA", caKeys, "CN=mxshift lab CA", caKeys, true, List.of());
        Issued ca = new Issued(caKeys, caCert, List.of(caCert));
        List<String> targetNames = List.of("*.e-v1.mx.microsoft", "*.h-v1.mx.microsoft", "*.i-v1.mx.microsoft",
                "*.o-v1.mx.microsoft", "*.r-v1.mx.microsoft");
        Issued target = issue(ca, "CN=*.o-v1.mx.microsoft", targetNames);
        KeyPair otherKeys = newKeys();
        X509Certificate other = sign("CN=*.o-v1.mx.microsoft", otherKeys, "CN=*.o-v1.mx.microsoft", otherKeys, false, targetNames);
        Issued mismatch = new Issued(otherKeys, other, List.of(other));
        Issued legacy = issue(ca, "CN=mail.protection.outlook.com",
                List.of("*.mail.protection.outlook.com", "*.mail.eo.outlook.com", "*.mail.protection.outlook.de"));
        return new LabPki(ca, target, mismatch, legacy);
    }

    public Issued ca() {
        return ca;
    }

    public Issued target() {
        return target;
    }

    public Issued mismatch() {
        return mismatch;
    }

    public Issued legacy() {
        return legacy;
    }

    /** Writes {@code ca.pem} and, per endpoint, {@code NAME.key} (mode 600) and {@code NAME.chain.pem} (leaf first). */
    public void write(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("ca.pem"), pem(ca.certificate()));
            writeEndpoint(directory, "target", target);
            writeEndpoint(directory, "mismatch", mismatch);
            writeEndpoint(directory, "legacy", legacy);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the lab's certificates to " + directory, e);
        }
    }

    public static Issued issue(Issued ca, String subject, List<String> dnsNames) {
        KeyPair keys = newKeys();
        X509Certificate cert = sign(subject, keys, ca.certificate().getSubjectX500Principal().getName(), ca.keys(), false, dnsNames);
        return new Issued(keys, cert, List.of(cert, ca.certificate()));
    }

    /** A server certificate for a name and the loopback address it listens on (an IP SAN, RFC 6125 for a client that dials the address). */
    public static Issued issue(Issued ca, String subject, String dnsName, String ipAddress) {
        KeyPair keys = newKeys();
        X509Certificate cert = sign(subject, keys, ca.certificate().getSubjectX500Principal().getName(), ca.keys(), false,
                new GeneralName[]{new GeneralName(GeneralName.dNSName, dnsName), new GeneralName(GeneralName.iPAddress, ipAddress)});
        return new Issued(keys, cert, List.of(cert, ca.certificate()));
    }

    public static void writeEndpoint(Path directory, String name, Issued issued) throws IOException {
        Path key = directory.resolve(name + ".key");
        // PKCS#8 with the curve named inside, which OpenSSL (Postfix, nginx) reads; a bare SEC1 key it does not.
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(issued.keys().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        StringBuilder chain = new StringBuilder();
        for (X509Certificate c : issued.chain()) {
            chain.append(pem(c));
        }
        Files.writeString(directory.resolve(name + ".chain.pem"), chain.toString());
    }

    public static String spkiSha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                        boolean isCa, List<String> dnsNames) {
        return sign(subject, subjectKeys, issuer, issuerKeys, isCa,
                dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new));
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                        boolean isCa, GeneralName[] names) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    new BigInteger(64, new java.security.SecureRandom()).abs().add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(isCa ? 3650 : 825))),
                    new X500Name(subject), subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate()));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not make the lab certificate " + subject, e);
        }
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
