package dev.paddock.server.net;

import dev.paddock.server.config.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Key and trust stores as ZooKeeper 3.9.5 reads them: JKS, PKCS12 or PEM (a PEM key store holds the private
 * key, encrypted with the store password or not, and its certificate chain; a PEM trust store holds
 * certificates). Without a type key the type comes from the file name, as ZooKeeper's KeyStoreFileType
 * infers it (.jks, .p12 or .pfx, .pem, .bcfks).
 */
final class Keystores {
    private Keystores() {
    }

    static KeyManagerFactory keyManagers(TlsConfig.Store store) throws IOException {
        if (store.location() == null) {
            throw new IOException("TLS needs a key store: ssl.keyStore.location is not set");
        }
        char[] password = store.password() == null ? new char[0] : store.password().toCharArray();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(store, true), password);
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use key store " + store.location() + ": " + e.getMessage(), e);
        }
    }

    /** Null when no trust store is configured: the JVM's default trust then decides. */
    static TrustManagerFactory trustManagers(TlsConfig.Store store) throws IOException {
        if (store.location() == null) {
            return null;
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(store, false));
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use trust store " + store.location() + ": " + e.getMessage(), e);
        }
    }

    /** The trust store's X509 trust manager, or the JVM's default one when no trust store is configured. */
    static X509ExtendedTrustManager trustManager(TlsConfig.Store store) throws IOException {
        TrustManagerFactory tmf = trustManagers(store);
        try {
            if (tmf == null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init((KeyStore) null);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the JVM's default trust store: " + e.getMessage(), e);
        }
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new IOException("the trust store offers no X509 trust manager");
    }

    static KeyStore load(TlsConfig.Store store, boolean withKey) throws IOException, GeneralSecurityException {
        Path file = Path.of(store.location());
        String type = typeOf(store);
        char[] password = store.password() == null ? null : store.password().toCharArray();
        if (type.equals("PEM")) {
            String text = Files.readString(file);
            return withKey ? PemStore.keyStore(text, password) : PemStore.trustStore(text);
        }
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    /** The configured type, or the one the file name gives. */
    static String typeOf(TlsConfig.Store store) throws IOException {
        if (store.type() != null && !store.type().isBlank()) {
            String t = store.type().strip().toUpperCase(Locale.ROOT);
            if (!t.equals("JKS") && !t.equals("PKCS12") && !t.equals("PEM") && !t.equals("BCFKS")) {
                throw new IOException("unknown key store type " + store.type() + " (JKS, PKCS12, PEM or BCFKS)");
            }
            return t;
        }
        String name = store.location().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jks")) {
            return "JKS";
        } else if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            return "PKCS12";
        } else if (name.endsWith(".pem")) {
            return "PEM";
        } else if (name.endsWith(".bcfks")) {
            return "BCFKS";
        }
        throw new IOException("Unable to auto-detect store file type from file name: " + store.location()
                + " (name it .jks, .p12, .pfx, .pem or .bcfks, or set its type)");
    }
}
