package dev.paddock.server.admin;

import java.util.List;

/**
 * What the four-letter words read about this server's connections and role: a read-only view, implemented
 * by the request layer, so this package does not depend on it. Called on the request thread.
 */
public interface ServerView {
    /**
     * One open connection, as stat and cons list it: every connection counts, with or without a session
     * (the one asking included), as in ZooKeeper. {@code sessionId} 0: no session (cons then shows the
     * brief form). {@code lastCxid} -1: none yet.
     */
    record Client(String remoteAddress, int interestOps, int queued, long received, long sent, long sessionId,
                  String lastOp, long establishedWallMs, int timeoutMs, long lastCxid, long lastZxid,
                  long lastResponseMs, long lastLatencyMs, long minLatencyMs, long avgLatencyMs,
                  long maxLatencyMs) {
    }

    /** Open connections, as srvr's Connections line and mntr's zk_num_alive_connections count them. */
    int connectionCount();

    List<Client> clients();

    /** Requests received and not yet answered, over every connection. */
    int outstandingRequests();

    /** crst: every connection's statistics start again. */
    void resetConnectionStats();

    /** The Mode line of srvr: standalone, leader, follower, observer, or looking. */
    String mode();

    /** See {@code WritePath.upstreamZxid}: -1 unless this server is a live mirror. */
    default long upstreamZxid() {
        return -1;
    }

    /** Whether the server serves clients now (read-only included); ZooKeeper answers most words only then. */
    boolean serving();

    /** Whether it serves read-only clients only (cut off from its quorum, readonlymode.enabled): isro's "ro". */
    default boolean readOnly() {
        return false;
    }

    /** Local sessions tracked here (mntr's zk_local_sessions). */
    default int localSessionCount() {
        return 0;
    }

    /** Whether new sessions are local (localSessionsEnabled on an ensemble member); dump shows them apart. */
    default boolean localSessionsEnabled() {
        return false;
    }
}
