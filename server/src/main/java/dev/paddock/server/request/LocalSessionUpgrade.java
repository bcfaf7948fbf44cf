package dev.paddock.server.request;

import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.tree.CreateMode;
import dev.paddock.server.tree.CreateSessionRequest;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local session's write that creates an ephemeral (localSessionsEnabled): an ephemeral needs a global
 * session, so with localSessionsUpgradingEnabled the session becomes global first, otherwise the write is
 * refused as ZooKeeper refuses it. On the request thread.
 */
final class LocalSessionUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

    private final SessionTracker tracker;
    private final WritePath writePath;
    private final boolean upgrading;

    LocalSessionUpgrade(SessionTracker tracker, WritePath writePath, boolean upgrading) {
        this.tracker = tracker;
        this.writePath = writePath;
        this.upgrading = upgrading;
    }

    /**
     * Before a write of a local session. With upgrading the session becomes global now (its createSession
     * entry goes through the log ahead of the write, on the same path, so in order); without it the write is
     * refused: EphemeralOnLocalSession, or for a multi what ZooKeeper's leader answers for a session it does
     * not know, SessionExpired. Null: go ahead.
     */
    ErrorCode ensureGlobal(Connection conn, Request request) {
        long sessionId = conn.sessionId();
        if (!tracker.isLocal(sessionId) || !createsEphemeral(request)) {
            return null;
        }
        if (!upgrading) {
            return request.opCode() == OpCode.MULTI ? ErrorCode.SESSION_EXPIRED : ErrorCode.EPHEMERAL_ON_LOCAL_SESSION;
        }
        int timeout = tracker.get(sessionId).timeoutMs();
        LOG.info("Upgrading session 0x{}", Long.toHexString(sessionId));
        tracker.makeGlobal(sessionId);
        WritePathFailure.call(() -> writePath.submit(sessionId, conn.identities(), new CreateSessionRequest(timeout),
                null));
        return null;
    }

    /** ZooKeeper upgrades for create and create2 with an ephemeral mode, alone or in a multi. */
    private static boolean createsEphemeral(Request request) {
        if (request instanceof MultiRequest multi) {
            return multi.ops().stream().anyMatch(LocalSessionUpgrade::createsEphemeral);
        }
        if (request instanceof CreateRequest create
                && (create.opCode() == OpCode.CREATE || create.opCode() == OpCode.CREATE2)) {
            CreateMode mode = CreateMode.ofFlag(create.flags());
            return mode != null && mode.ephemeral;
        }
        return false;
    }
}
