package dev.paddock.server.request;

import dev.paddock.server.config.RequestLimits;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a decoded request reaches the request thread, server-wide (every listener shares one): it gets its
 * {@link Ticket} in the {@link InFlight} count when it is handed over, at once, or, with ZooKeeper's request
 * throttle on ({@code request_throttle_max_requests}), once the {@link RequestThrottle} lets it through. It also
 * keeps ZooKeeper's globalOutstandingLimit: a connection that sends a request while more requests than the
 * limit are in process, or waiting for the throttle, stops being read ({@link #arrived}), and every such
 * connection reads again as soon as both are back at or under the limit. Network threads submit; tickets end
 * on the request thread.
 */
public final class RequestAdmission {
    /** One request's handling on the request thread, given its ticket. */
    public interface Work {
        void run(Ticket ticket);
    }

    /** What pauses a connection's reading; the network layer's (a Netty channel's auto-read). */
    public interface Pause {
        void pause();
    }

    private final RequestLimits limits;
    private final InFlight inFlight;
    private final RequestLoop loop;
    private final RequestThrottle throttle;
    private final Set<Connection> paused = ConcurrentHashMap.newKeySet();

    public RequestAdmission(RequestLimits limits, InFlight inFlight, RequestLoop loop, Clock clock, ServerStats stats) {
        this.limits = limits;
        this.inFlight = inFlight;
        this.loop = loop;
        this.throttle = limits.throttling() ? new RequestThrottle(limits, inFlight, this, clock, stats,
                loop::isRunning) : null;
        inFlight.onEnd(this::ended);
        if (throttle != null) {
            throttle.start();
        }
    }

    /** The requests in process, for tests and mntr. */
    public InFlight inFlight() {
        return inFlight;
    }

    /**
     * Hands one request of {@code conn} on; with the throttle on it waits behind every request that arrived
     * before it (the network thread waits while the throttle's queue is full).
     *
     * @param opCode what the request is: ZooKeeper never counts a closeSession stale (it must outlive its
     *               connection), and never answers a ping, a closeSession, an addauth or a SASL packet ThrottledOp
     */
    public void submit(Connection conn, long receivedAtMs, int opCode, Work work) {
        if (throttle == null) {
            handOver(conn, work);
        } else {
            throttle.enqueue(new RequestThrottle.Waiting(conn, receivedAtMs, opCode, work));
        }
    }

    void handOver(Connection conn, Work work) {
        handOver(conn, work, false);
    }

    /** {@code throttled}: answered ThrottledOp instead of served (set before the hand-over, which publishes it). */
    void handOver(Connection conn, Work work, boolean throttled) {
        Ticket ticket = inFlight.open(conn);
        if (throttled) {
            ticket.markThrottled();
        }
        loop.runHereOrExecute(() -> work.run(ticket)); // an idle request thread: run here, no hand-off
    }

    /** ZooKeeper's shouldThrottle: more requests in process, or waiting for the throttle, than the limit. */
    public boolean overLimit() {
        int limit = limits.globalOutstandingLimit();
        return limit < waiting() || limit < inFlight.count();
    }

    /** Requests waiting for the throttle (ZooKeeper's getInflight), 0 without it. */
    public int waiting() {
        return throttle == null ? 0 : throttle.waiting();
    }

    /**
     * A request of {@code conn} arrived (network thread): over the global limit, the connection stops reading
     * until the count is back under it. Looked at again after pausing, since the last request may have ended
     * in between and nothing would wake the connection then.
     */
    public void arrived(Connection conn, Pause pause) {
        if (!overLimit()) {
            return;
        }
        pause.pause();
        paused.add(conn);
        if (!overLimit()) {
            resumePaused();
        }
    }

    /** Connections paused for the global limit now (tests). */
    int pausedCount() {
        return paused.size();
    }

    /** Tickets ended, or the throttle let a request through: fewer requests count against the limits. */
    void ended() {
        if (throttle != null) {
            throttle.wake();
        }
        if (!paused.isEmpty() && !overLimit()) {
            resumePaused();
        }
    }

    /** Stops the throttle's thread (it also stops by itself once the request thread has). */
    public void close() {
        if (throttle != null) {
            throttle.stop();
        }
    }

    private void resumePaused() {
        for (Connection c : paused) {
            if (paused.remove(c)) {
                c.channel().resumeReading();
            }
        }
    }
}
