package dev.paddock.compat.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made for a test with BouncyCastle: certificate authorities, and server and client
 * certificates they sign (valid, or expired), written as JKS, PKCS12 or PEM stores. Every leaf names
 * 127.0.0.1 and localhost as subject alternative names, so host name verification passes on both sides.
 */
public final class TestCertificates {
    public static final String PASSWORD = "changeit";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path dir;

    public TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A key pair and its certificate chain (leaf first). */
    public record Identity(KeyPair keys, X509Certificate[] chain) {
        public X509Certificate certificate() {
            return chain[0];
        }
    }

    public Identity authority(String name) throws GeneralSecurityException {
        KeyPair keys = keyPair();
        X509Certificate cert = sign(new X500Name("CN=" + name), keys, new X500Name("CN=" + name), keys,
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)), true);
        return new Identity(keys, new X509Certificate[] {cert});
    }

    /** A leaf signed by {@code ca}, valid from {@code from} to {@code until}. */
    public Identity leaf(String subject, Identity ca, Instant from, Instant until) throws GeneralSecurityException {
        KeyPair keys = keyPair();
        X500Name issuer = new X500Name(ca.certificate().getSubjectX500Principal().getName());
        X509Certificate cert = sign(new X500Name(subject), keys, issuer, ca.keys(), from, until, false);
        return new Identity(keys, new X509Certificate[] {cert, ca.certificate()});
    }

    /** A leaf signed by {@code ca} that names no host (no subject alternative names), valid for 30 days. */
    public Identity leafWithoutHosts(String subject, Identity ca) throws GeneralSecurityException {
        KeyPair keys = keyPair();
        X500Name issuer = new X500Name(ca.certificate().getSubjectX500Principal().getName());
        X509Certificate cert = sign(new X500Name(subject), keys, issuer, ca.keys(), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)), false, false);
        return new Identity(keys, new X509Certificate[] {cert, ca.certificate()});
    }

    public Identity leaf(String subject, Identity ca) throws GeneralSecurityException {
        return leaf(subject, ca, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
    }

    /** A key store holding {@code id}, as a file whose name ends in {@code .jks}, {@code .p12} or {@code .pem}. */
    public Path keyStore(String name, Identity id) throws IOException, GeneralSecurityException {
        Path file = dir.resolve(name);
        if (name.endsWith(".pem")) {
            StringBuilder pem = new StringBuilder(pem("PRIVATE KEY", id.keys().getPrivate().getEncoded()));
            for (X509Certificate c : id.chain()) {
                pem.append(pem("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(file, pem);
            return file;
        }
        KeyStore ks = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", id.keys().getPrivate(), PASSWORD.toCharArray(), id.chain());
        return write(ks, file);
    }

    /** A PEM key store whose key is encrypted (PKCS#8, PBEWithSHA1AndDESede) with {@link #PASSWORD}. */
    public Path encryptedPemKeyStore(String name, Identity id) throws IOException, GeneralSecurityException {
        String algorithm = "PBEWithSHA1AndDESede";
        AlgorithmParameters params = AlgorithmParameters.getInstance(algorithm);
        params.init(new PBEParameterSpec(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 2048));
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(algorithm)
                .generateSecret(new PBEKeySpec(PASSWORD.toCharArray())), params);
        byte[] encrypted = new EncryptedPrivateKeyInfo(params, cipher.doFinal(id.keys().getPrivate().getEncoded()))
                .getEncoded();
        StringBuilder pem = new StringBuilder(pem("ENCRYPTED PRIVATE KEY", encrypted));
        for (X509Certificate c : id.chain()) {
            pem.append(pem("CERTIFICATE", c.getEncoded()));
        }
        Path file = dir.resolve(name);
        Files.writeString(file, pem);
        return file;
    }

    /** A trust store holding the given certificates. */
    public Path trustStore(String name, X509Certificate... trusted) throws IOException, GeneralSecurityException {
        Path file = dir.resolve(name);
        if (name.endsWith(".pem")) {
            StringBuilder pem = new StringBuilder();
            for (X509Certificate c : trusted) {
                pem.append(pem("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(file, pem);
            return file;
        }
        KeyStore ks = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
        ks.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
            ks.setCertificateEntry("ca-" + i, trusted[i]);
        }
        return write(ks, file);
    }

    private static Path write(KeyStore ks, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                        Instant from, Instant until, boolean ca) throws GeneralSecurityException {
        return sign(subject, subjectKeys, issuer, issuerKeys, from, until, ca, !ca);
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                        Instant from, Instant until, boolean ca, boolean hosts)
            throws GeneralSecurityException {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(until), subject,
                    subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement));
            }
            if (hosts) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")}));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
