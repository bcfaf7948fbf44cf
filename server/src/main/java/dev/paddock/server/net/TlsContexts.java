package dev.paddock.server.net;

import dev.paddock.server.config.TlsConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The server's TLS context for the client port, from {@link TlsConfig}: key and trust stores, client
 * authentication (need, want, none), enabled protocols and cipher suites. The JDK's provider does the TLS.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    public static SslContext server(TlsConfig tls) throws IOException {
        SslContextBuilder b = SslContextBuilder.forServer(Keystores.keyManagers(tls.keyStore()))
                .sslProvider(SslProvider.JDK)
                .protocols(tls.enabledProtocols())
                .clientAuth(switch (tls.clientAuth()) {
                    case "none" -> ClientAuth.NONE;
                    case "want" -> ClientAuth.OPTIONAL;
                    default -> ClientAuth.REQUIRE;
                });
        TrustManagerFactory trust = Keystores.trustManagers(tls.trustStore());
        if (trust != null) {
            b.trustManager(trust);
        }
        if (tls.cipherSuites() != null) {
            b.ciphers(tls.cipherSuites());
        }
        try {
            return b.build();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot set up TLS on the client port: " + e.getMessage(), e);
        }
    }
}
