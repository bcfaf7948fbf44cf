package dev.paddock.server.request;

import dev.paddock.server.tree.ApplyResult;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.Request;
import java.util.List;

/**
 * How this server gets a write applied: through the quorum member it is ({@code ensemble.EnsembleMember},
 * the one implementation in every mode: a standalone server is a one-member ensemble). The request layer
 * depends on this interface only, so it is tested without a quorum. Everything is called and calls back
 * on the request thread.
 */
public interface WritePath {
    record Committed(long zxid, ApplyResult result) {
    }

    interface Callback {
        void committed(Committed committed);
    }

    /** Gets the entry a zxid and time, makes it durable and applied, then calls back (maybe later). */
    void submit(long sessionId, List<Id> identities, Request request, Callback callback);

    /** Runs {@code caughtUp} once this server has applied everything the ensemble had committed now. */
    void sync(Runnable caughtUp);

    /** {@link #sync(Runnable)} asked by a session (a ZooKeeper leader checks the session of a forwarded sync). */
    default void sync(long sessionId, Runnable caughtUp) {
        sync(caughtUp);
    }

    /**
     * Whether a session a client reattaches with (known here, password checked) is still valid: true, false
     * (expired), or null when it cannot be asked now (the connection is closed without an answer, and the
     * client tries again). Here at once; a ZooKeeper mirror asks the ZooKeeper leader. Request thread.
     */
    default void revalidate(long sessionId, int timeoutMs, java.util.function.Consumer<Boolean> answer) {
        answer.accept(Boolean.TRUE);
    }

    /** Whether this server may take clients now (an ensemble member without a leader may not). */
    boolean serving();

    /** Whether this server decides session expiry (standalone, or the ensemble's leader). */
    boolean decidesExpiry();

    /** The Mode line of srvr: standalone, leader, follower or observer. */
    String mode();

    /**
     * The last zxid this server knows its upstream leader has reached, for srvr's lag; -1 where srvr shows none
     * (only a live mirror of a ZooKeeper ensemble shows it: ZooKeeper's own srvr has no such line).
     */
    default long upstreamZxid() {
        return -1;
    }

    /** Whether a reconfig can change this server's membership (ZooKeeper's standalone server answers Unimplemented). */
    default boolean reconfigurable() {
        return false;
    }
}
