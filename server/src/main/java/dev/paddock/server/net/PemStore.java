package dev.paddock.server.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PEM files as key and trust stores: "PRIVATE KEY" (PKCS#8) or "ENCRYPTED PRIVATE KEY" (PKCS#8 encrypted
 * with the store password) blocks and "CERTIFICATE" blocks, turned into an in-memory key store.
 */
final class PemStore {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "DSA"};

    private PemStore() {
    }

    static KeyStore keyStore(String pem, char[] password) throws IOException, GeneralSecurityException {
        PrivateKey key = null;
        List<Certificate> chain = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PRIVATE KEY" -> key = privateKey(der);
                case "ENCRYPTED PRIVATE KEY" -> key = privateKey(decrypt(der, password));
                case "CERTIFICATE" -> chain.add(certificate(der));
                default -> throw new IOException("unsupported PEM block " + m.group(1)
                        + " (keys must be PKCS#8: PRIVATE KEY or ENCRYPTED PRIVATE KEY)");
            }
        }
        if (key == null || chain.isEmpty()) {
            throw new IOException("a PEM key store needs a private key and its certificate chain");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", key, password == null ? new char[0] : password, chain.toArray(new Certificate[0]));
        return ks;
    }

    static KeyStore trustStore(String pem) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        Matcher m = BLOCK.matcher(pem);
        int n = 0;
        while (m.find()) {
            if (m.group(1).equals("CERTIFICATE")) {
                ks.setCertificateEntry("cert-" + n++, certificate(Base64.getMimeDecoder().decode(m.group(2))));
            }
        }
        if (n == 0) {
            throw new IOException("a PEM trust store needs at least one CERTIFICATE");
        }
        return ks;
    }

    private static Certificate certificate(byte[] der) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static byte[] decrypt(byte[] der, char[] password) throws IOException, GeneralSecurityException {
        if (password == null) {
            throw new IOException("the PEM private key is encrypted but no password is set");
        }
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
        SecretKeyFactory f = SecretKeyFactory.getInstance(info.getAlgName());
        Cipher cipher = Cipher.getInstance(info.getAlgName());
        cipher.init(Cipher.DECRYPT_MODE, f.generateSecret(new PBEKeySpec(password)), info.getAlgParameters());
        return info.getKeySpec(cipher).getEncoded();
    }

    private static PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (InvalidKeySpecException e) {
                // not this algorithm: try the next
            }
        }
        throw new InvalidKeySpecException("the PEM private key is none of RSA, EC, Ed25519 or DSA");
    }
}
