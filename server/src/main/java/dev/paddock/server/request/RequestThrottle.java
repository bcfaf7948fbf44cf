package dev.paddock.server.request;

import dev.paddock.server.config.RequestLimits;
import dev.paddock.server.fault.EssentialThreads;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.Clock;
import dev.paddock.wire.OpCode;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper 3.9's request throttle ({@code request_throttle_max_requests}): requests wait here, in the order
 * they arrived from every connection, and one thread lets the first through whenever fewer than the maximum
 * are in process ({@link InFlight}). While it cannot, it waits until a request ends or the stall time passes
 * (each such wait counts in mntr's {@code request_throttle_wait_count}), looking again each time whether the
 * first request went stale: its connection closed, or (when asked) it waited longer than its session's
 * timeout. A stale request is dropped with drop_stale (counted in {@code stale_requests_dropped}) and its
 * connection closed and marked invalid, so its later requests are dropped too and the session's answers stay in
 * order; otherwise it goes on and counts in {@code stale_requests}. A request that waited longer than
 * {@code throttled_op_wait_time} (when set) is answered ThrottledOp instead of served ({@code throttled_ops}),
 * except pings, closeSession, addauth and SASL. The queue is bounded: past it the network
 * thread waits (and connections stop being read long before, at globalOutstandingLimit, since the requests
 * waiting here count against it).
 */
final class RequestThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(RequestThrottle.class);
    /** Requests waiting at most; the network thread that would add one more waits. */
    static final int QUEUE_CAPACITY = 65_536;
    private static final long POLL_MS = 100;

    record Waiting(Connection conn, long receivedAtMs, int opCode, RequestAdmission.Work work) {
        boolean closeSession() {
            return opCode == OpCode.CLOSE_SESSION.code;
        }

        /** ZooKeeper's isThrottlable; addauth and SASL never reach its throttle at all. */
        boolean throttlable() {
            return opCode != OpCode.PING.code && opCode != OpCode.CLOSE_SESSION.code && opCode != OpCode.AUTH.code
                    && opCode != OpCode.SASL.code;
        }
    }

    private final BlockingQueue<Waiting> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final RequestLimits limits;
    private final InFlight inFlight;
    private final RequestAdmission admission;
    private final Clock clock;
    private final ServerStats stats;
    private final Object wake = new Object();
    private final Thread thread;
    private final BooleanSupplier alive;
    private volatile boolean running = true;

    /** {@code alive}: the request thread still runs; the throttle stops with it. */
    RequestThrottle(RequestLimits limits, InFlight inFlight, RequestAdmission admission, Clock clock, ServerStats stats,
                    BooleanSupplier alive) {
        this.alive = alive;
        this.limits = limits;
        this.inFlight = inFlight;
        this.admission = admission;
        this.clock = clock;
        this.stats = stats;
        this.thread = new Thread(EssentialThreads.guard("paddock-request-throttle", this::run),
                "paddock-request-throttle");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Network thread: waits while the queue is full. */
    void enqueue(Waiting w) {
        try {
            while (running() && !queue.offer(w, POLL_MS, TimeUnit.MILLISECONDS)) {
                // full: the request throttle is far behind; this connection's thread waits for it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int waiting() {
        return queue.size();
    }

    /** A request ended: the first waiting one may go now. */
    void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Stops the thread; the requests still waiting are dropped with it (the server is going away). */
    void stop() {
        running = false;
        thread.interrupt();
    }

    private boolean running() {
        return running && alive.getAsBoolean();
    }

    private void run() {
        while (running()) {
            Waiting w;
            try {
                w = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // stop() interrupts; the loop's condition decides
            }
            if (w == null || w.conn().isInvalid()) {
                // An earlier request of this connection was dropped: so is this one (ZooKeeper's mustDrop).
                continue;
            }
            try {
                if (admitWhenRoom(w)) {
                    if (isStale(w)) {
                        stats.staleRequest();
                    }
                    long waitedMs = Math.max(0, clock.monotonicMs() - w.receivedAtMs());
                    stats.requestThrottleQueueTime(waitedMs);
                    boolean throttled = limits.throttledOpWaitTimeMs() > 0 && waitedMs > limits.throttledOpWaitTimeMs()
                            && w.throttlable();
                    if (throttled) {
                        stats.throttledOp();
                    }
                    admission.handOver(w.conn(), w.work(), throttled);
                }
            } catch (InterruptedException e) {
                // stop(): the server is closing
            }
        }
    }

    /** Waits until fewer than the maximum are in process; false when the request was dropped as stale. */
    private boolean admitWhenRoom(Waiting w) throws InterruptedException {
        while (running()) {
            if (limits.dropStale() && isStale(w)) {
                drop(w);
                stats.staleRequestDropped();
                return false;
            }
            synchronized (wake) {
                if (inFlight.count() < limits.maxRequests()) {
                    return true;
                }
                stats.requestThrottleWait();
                wake.wait(limits.stallTimeMs());
            }
        }
        return false;
    }

    /** ZooKeeper's Request.isStale: never a closeSession, which must outlive its connection. */
    private boolean isStale(Waiting w) {
        if (w.closeSession()) {
            return false;
        }
        Connection c = w.conn();
        if (limits.staleConnectionCheck() && (c.isGone() || c.isInvalid())) {
            return true;
        }
        return limits.staleLatencyCheck() && clock.monotonicMs() - w.receivedAtMs() > c.timeoutMs();
    }

    /** As ZooKeeper: the connection is closed and marked invalid, so its later requests are dropped too. */
    private void drop(Waiting w) {
        Connection c = w.conn();
        c.invalidate();
        LOG.debug("Dropped a stale request from {}", c.channel().remoteAddress());
        c.channel().abort();
    }
}
