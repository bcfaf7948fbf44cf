package dev.paddock.server.request;

import dev.paddock.server.stats.ServerStats;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.ReplyHeader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code zookeeper.enforce.auth.enabled} / {@code enforce.auth.schemes} (and
 * {@code sessionRequireClientSASLAuth}, which enforces sasl): a connection that holds no identity of an
 * enforced scheme gets SessionClosedRequireSaslAuth (zxid 0, no body) for any request other than addauth
 * and sasl, pings included, and is closed, as ZooKeeper 3.9.5 does before it looks at the request. The
 * session is left to expire.
 */
final class AuthEnforcement {
    private static final Logger LOG = LoggerFactory.getLogger(AuthEnforcement.class);

    private final Set<String> schemes;
    private final SessionHandler sessions;
    private final ServerStats stats;

    AuthEnforcement(Set<String> schemes, SessionHandler sessions, ServerStats stats) {
        this.schemes = schemes;
        this.sessions = sessions;
        this.stats = stats;
    }

    /** True when the request may go on; otherwise it has been refused and the connection closed. */
    boolean admit(Connection conn, int xid) {
        if (schemes.isEmpty()) {
            return true;
        }
        for (Id id : conn.identities()) {
            if (schemes.contains(id.scheme())) {
                return true;
            }
        }
        LOG.error("Client authentication scheme(s) {} does not match with any of the expected authentication scheme {},"
                + " closing session.", conn.identities().stream().map(Id::scheme).toList(), schemes);
        stats.clientResponseSize(conn.reply(new ReplyHeader(xid, 0, ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH.code),
                null));
        sessions.dropConnection(conn);
        return false;
    }
}
