package dev.paddock.server.quorum.transport;

import io.netty.handler.ssl.SslContext;
import java.util.function.Supplier;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * How a member secures its quorum and election connections (ZooKeeper's {@code sslQuorum},
 * {@code portUnification} and {@code quorum.auth.*}).
 *
 * @param acceptTls       the context for TLS on this member's ports, or null when they take plaintext only
 * @param acceptPlaintext whether this member's ports take plaintext connections (no TLS, or port unification)
 * @param dialTls         the context for the connections this member opens, or null to open them in plaintext
 * @param sasl            quorum SASL
 */
public record TransportSecurity(Supplier<SslContext> acceptTls, boolean acceptPlaintext, Supplier<SslContext> dialTls,
                                Sasl sasl) {
    public static final TransportSecurity PLAINTEXT = new TransportSecurity(null, true, null, Sasl.NONE);

    /** Creates a SASL mechanism's side for one exchange. */
    @FunctionalInterface
    public interface Mechanism<T> {
        T create() throws SaslException;
    }

    /**
     * @param enabled         this member can take part in SASL exchanges ({@code quorum.auth.enableSasl})
     * @param learnerRequired this member authenticates on every connection it opens
     * @param serverRequired  this member closes connections that do not authenticate, or fail to
     */
    public record Sasl(boolean enabled, boolean learnerRequired, boolean serverRequired, Mechanism<SaslClient> clients,
                       Mechanism<SaslServer> servers) {
        public static final Sasl NONE = new Sasl(false, false, false, null, null);
    }
}
