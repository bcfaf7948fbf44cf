package dev.paddock.server.request;

/**
 * One request's place in the {@link InFlight} count. The request thread hands it to the request's connection
 * ({@link Connection#adopt}), so a detached connection can end the tickets it still holds; {@link #end()}
 * ends it, and any later call does nothing, so the count never goes down twice for one request. Request
 * thread only (after {@link InFlight#open}).
 */
public final class Ticket {
    private final InFlight owner;
    private final Connection conn;
    private boolean adopted;
    private boolean ended;
    /** Placed in its connection's answer order: ended when its step has run there. */
    private boolean placed;
    /** It waited for the request throttle longer than throttled_op_wait_time: answered ThrottledOp, not served. */
    private boolean throttled;

    Ticket(InFlight owner, Connection conn) {
        this.owner = owner;
        this.conn = conn;
    }

    Connection connection() {
        return conn;
    }

    InFlight owner() {
        return owner;
    }

    void markThrottled() {
        throttled = true;
    }

    boolean throttled() {
        return throttled;
    }

    void adopted() {
        adopted = true;
    }

    void placed() {
        placed = true;
    }

    boolean isPlaced() {
        return placed;
    }

    boolean isEnded() {
        return ended;
    }

    /** Ends this request's count; later calls do nothing. */
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        conn.requestEnded();
        if (adopted) {
            // Its connection counts it (and ends it in bulk when detached, after which this does nothing).
            if (conn.ticketEnded()) {
                owner.ended(1);
            }
        } else {
            owner.ended(1);
        }
    }
}
