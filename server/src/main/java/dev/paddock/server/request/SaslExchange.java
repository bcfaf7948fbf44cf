package dev.paddock.server.request;

import dev.paddock.server.auth.AclChecker;
import dev.paddock.server.auth.SaslLogin;
import dev.paddock.server.auth.SaslScheme;
import dev.paddock.server.config.AuthConfig;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.ReplyHeader;
import dev.paddock.wire.proto.SaslResponse;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sasl request (opcode 102) as ZooKeeper 3.9.5's server answers it: each client token goes to the
 * connection's SASL server and its answer comes back in a SaslResponse with zxid 0; once the exchange is
 * complete the connection holds the identity {@code sasl:<authorization id>} (and {@code super} for a
 * {@code zookeeper.superUser}). A failed exchange is answered AuthFailed, or SessionClosedRequireSaslAuth
 * when SASL is enforced, still with an (empty) SaslResponse, and the connection is closed; the session
 * lives on until it expires. {@code zookeeper.allowSaslFailedClients} keeps the connection instead
 * (unless SASL is enforced). A server without SASL answers OK with no token, which clients take as the end
 * of the exchange.
 */
final class SaslExchange {
    private static final Logger LOG = LoggerFactory.getLogger(SaslExchange.class);

    private final SaslLogin login;
    private final AuthConfig auth;
    private final SessionHandler sessions;
    private final ServerStats stats;

    /** @param login the server's DIGEST-MD5 users, or null when it has no SASL */
    SaslExchange(SaslLogin login, AuthConfig auth, SessionHandler sessions, ServerStats stats) {
        this.login = login;
        this.auth = auth;
        this.sessions = sessions;
        this.stats = stats;
    }

    void handle(Connection conn, int xid, byte[] token) {
        if (token == null) {
            // ZooKeeper cannot take a null token: it drops the connection without an answer.
            sessions.connectionLost(conn);
            conn.channel().close();
            return;
        }
        SaslServer server = serverOf(conn);
        byte[] answer = null;
        if (server != null) {
            try {
                answer = server.evaluateResponse(token);
                if (server.isComplete()) {
                    authenticated(conn, server.getAuthorizationID());
                }
            } catch (SaslException e) {
                LOG.warn("Client {} failed to SASL authenticate: {}", conn.channel().remoteAddress(), e.toString());
                if (!auth.allowSaslFailedClients() || auth.saslRequired()) {
                    refuse(conn, xid);
                    return;
                }
                LOG.warn("Maintaining client connection despite SASL authentication failure.");
            }
        }
        stats.clientResponseSize(conn.reply(new ReplyHeader(xid, 0, ErrorCode.OK.code), new SaslResponse(answer)));
    }

    private SaslServer serverOf(Connection conn) {
        if (login == null) {
            return null;
        }
        if (conn.saslServer() == null) {
            try {
                conn.saslServer(login.newServer());
            } catch (SaslException e) {
                LOG.error("Could not create a SASL server for {}", conn.channel().remoteAddress(), e);
            }
        }
        return conn.saslServer();
    }

    private void authenticated(Connection conn, String authorizationId) {
        LOG.info("Session 0x{}: adding SASL authorization for authorizationID: {}", Long.toHexString(conn.sessionId()),
                authorizationId);
        conn.addIdentity(new Id(SaslScheme.SCHEME, authorizationId));
        if (auth.saslSuperUsers().contains(authorizationId)) {
            conn.addIdentity(new Id(AclChecker.SUPER_SCHEME, ""));
        }
    }

    private void refuse(Connection conn, int xid) {
        ErrorCode error = auth.saslRequired() ? ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH : ErrorCode.AUTH_FAILED;
        LOG.warn("Closing client connection from {} due to SASL authentication failure", conn.channel().remoteAddress());
        stats.clientResponseSize(conn.reply(new ReplyHeader(xid, 0, error.code), new SaslResponse(null)));
        sessions.dropConnection(conn);
    }
}
