package dev.paddock.server.net;

import dev.paddock.server.config.TlsConfig;
import dev.paddock.server.config.TlsSettings;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS contexts from {@link TlsSettings}: the accepting side's (the client port, a member's quorum and election
 * ports) and the connecting side's (a member dialling another). Key and trust stores, client authentication
 * (need, want, none), enabled protocols and cipher suites; the trust store's verdict is followed by
 * ZooKeeper's host name checks ({@link HostCheckingTrustManager}). The JDK's provider does the TLS, except on
 * the client port with {@code ssl.sslProvider=OPENSSL}, where BoringSSL (netty-tcnative, a dependency, so it is
 * present on the platforms it ships for) does it, as in ZooKeeper 3.9.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    public static SslContext server(TlsConfig tls) throws IOException {
        return server(tls.settings(), "the client port");
    }

    /** @param what names the port in an error, e.g. "the client port" */
    public static SslContext server(TlsSettings tls, String what) throws IOException {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(Keystores.keyManagers(tls.keyStore()))
                    .sslProvider(provider(tls))
                    .protocols(tls.enabledProtocols())
                    .trustManager(trustManager(tls))
                    .clientAuth(switch (tls.clientAuth()) {
                        case "none" -> ClientAuth.NONE;
                        case "want" -> ClientAuth.OPTIONAL;
                        default -> ClientAuth.REQUIRE;
                    });
            if (tls.cipherSuites() != null) {
                b.ciphers(tls.cipherSuites());
            }
            return b.build();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot set up TLS on " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * The provider {@code ssl.sslProvider} names for the client port (members always use the JDK's, as ZooKeeper's
     * sockets do). OpenSSL that cannot load (a platform netty-tcnative has no library for) is a refusal to start
     * with the reason, not a silent fall-back: the operator asked for it.
     */
    static SslProvider provider(TlsSettings tls) throws IOException {
        SslProvider provider = tls.quorum() ? SslProvider.JDK : SslProvider.valueOf(tls.sslProvider());
        if (provider != SslProvider.JDK && !OpenSsl.isAvailable()) {
            Throwable why = OpenSsl.unavailabilityCause();
            throw new IOException("ssl.sslProvider=" + tls.sslProvider() + " but OpenSSL (netty-tcnative) cannot be"
                    + " loaded here: " + (why == null ? "unknown reason" : why.toString()), why);
        }
        return provider;
    }

    /**
     * The trust store's verdict and the host name checks ZooKeeper 3.9.5 makes with these settings. In its
     * default fips-mode it uses the JDK's trust manager alone: between members (sockets) nothing checks host
     * names, and on the client port ssl.clientHostnameVerification turns on the JDK's endpoint identification for
     * an engine that has no peer host, so every client certificate is refused. With fips-mode=false its own trust
     * manager checks host names: between members against the peer's address, on the client port against the
     * loopback address (its Netty engines have no peer host; the client-port handlers here have none either).
     */
    static X509ExtendedTrustManager trustManager(TlsSettings tls) throws IOException {
        X509ExtendedTrustManager trust = Keystores.trustManager(tls.trustStore());
        if (tls.quorum()) {
            return tls.fipsMode() ? trust : new HostCheckingTrustManager(trust, tls.hostnameVerification(),
                    tls.clientHostnameVerification(), tls.reverseDnsLookup(), false);
        }
        if (!tls.clientHostnameVerification()) {
            return trust;
        }
        return new HostCheckingTrustManager(trust, false, true, tls.reverseDnsLookup(), tls.fipsMode());
    }

    /** The connecting side's context: this member's certificate for the peer, the peer's checked against trust. */
    public static SslContext client(TlsSettings tls, String what) throws IOException {
        try {
            SslContextBuilder b = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .protocols(tls.enabledProtocols())
                    .trustManager(trustManager(tls));
            if (tls.keyStore().location() != null) {
                b.keyManager(Keystores.keyManagers(tls.keyStore()));
            }
            if (tls.cipherSuites() != null) {
                b.ciphers(tls.cipherSuites());
            }
            return b.build();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot set up TLS on " + what + ": " + e.getMessage(), e);
        }
    }
}
