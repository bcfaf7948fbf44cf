package dev.paddock.server.request;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-wide count of requests in process: each request handed to the request thread holds one
 * {@link Ticket} from then until it ends, and the count is the tickets not yet ended. This is ZooKeeper's
 * "in process" count, which its request throttle and globalOutstandingLimit read. A ticket ends exactly once,
 * whichever comes first: its answer step ran in its connection's order, it was refused or ignored without a
 * place in that order, or its connection was detached (closed, expired, failed), which ends all of that
 * connection's tickets at once, since their answers will never be written (a write whose member lost its
 * leader never calls back). Opened on any thread; ended on the request thread.
 */
public final class InFlight {
    private final AtomicInteger count = new AtomicInteger();
    private volatile Runnable onEnd = () -> { };

    /** What to do after tickets ended (wake the throttle, let paused connections read); any thread. */
    void onEnd(Runnable action) {
        onEnd = action;
    }

    /** A request of {@code conn} enters the request thread's hands. */
    public Ticket open(Connection conn) {
        count.incrementAndGet();
        return new Ticket(this, conn);
    }

    /** Tickets opened and not yet ended. */
    public int count() {
        return count.get();
    }

    void ended(int tickets) {
        if (tickets > 0) {
            count.addAndGet(-tickets);
            onEnd.run();
        }
    }
}
