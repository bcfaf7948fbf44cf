package dev.paddock.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import java.security.AlgorithmParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store types from file names, as ZooKeeper infers them, and PEM key stores with an encrypted key. */
class KeystoresTest {
    @TempDir
    Path dir;

    @Test
    void typeComesFromTheFileNameUnlessGiven() throws IOException {
        assertThat(Keystores.typeOf(new TlsConfig.Store("/a/b.JKS", null, null))).isEqualTo("JKS");
        assertThat(Keystores.typeOf(new TlsConfig.Store("/a/b.p12", null, null))).isEqualTo("PKCS12");
        assertThat(Keystores.typeOf(new TlsConfig.Store("/a/b.pfx", null, null))).isEqualTo("PKCS12");
        assertThat(Keystores.typeOf(new TlsConfig.Store("/a/b.pem", null, null))).isEqualTo("PEM");
        assertThat(Keystores.typeOf(new TlsConfig.Store("/a/b.store", null, "pkcs12"))).isEqualTo("PKCS12");
        assertThatThrownBy(() -> Keystores.typeOf(new TlsConfig.Store("/a/b.store", null, null)))
                .hasMessageContaining("file name");
        assertThatThrownBy(() -> Keystores.typeOf(new TlsConfig.Store("/a/b.jks", null, "XYZ")))
                .hasMessageContaining("XYZ");
    }

    @Test
    void pemKeyStoreWithAnEncryptedKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        X509Certificate cert = SelfSigned.certificate(keys);
        char[] password = "s3cret".toCharArray();
        String algorithm = "PBEWithSHA1AndDESede";
        AlgorithmParameters params = AlgorithmParameters.getInstance(algorithm);
        params.init(new PBEParameterSpec(new byte[8], 10_000));
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password)),
                params);
        byte[] encrypted = new EncryptedPrivateKeyInfo(params, cipher.doFinal(keys.getPrivate().getEncoded())).getEncoded();
        Path pem = dir.resolve("server.pem");
        Files.writeString(pem, block("ENCRYPTED PRIVATE KEY", encrypted) + block("CERTIFICATE", cert.getEncoded()));

        KeyStore ks = Keystores.load(new TlsConfig.Store(pem.toString(), "s3cret", null), true);
        assertThat(ks.getKey("key", password)).isEqualTo(keys.getPrivate());
        assertThat(ks.getCertificate("key")).isEqualTo(cert);
        assertThatThrownBy(() -> Keystores.load(new TlsConfig.Store(pem.toString(), "wrong", null), true))
                .isInstanceOf(java.security.GeneralSecurityException.class);
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }
}
