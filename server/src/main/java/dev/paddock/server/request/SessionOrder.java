package dev.paddock.server.request;

import java.util.ArrayDeque;

/**
 * Keeps one connection's answers in the order its requests arrived while writes wait for the log: a read
 * that arrives behind an unfinished write of the same connection waits for it (docs/decisions.md decision 7);
 * reads with nothing pending ahead are answered at once, and writes pipeline freely. Bounded by the
 * network layer, which stops reading from a connection with too many requests outstanding. Request thread
 * only.
 *
 * <p>It is also where a request ends (see {@link InFlight}): the request being handled ({@link #begin}) gives its
 * {@link Ticket} to the place it takes here, which ends it once its step has run; a request that took no place
 * (refused, ignored) is ended by {@link #finish}.
 */
final class SessionOrder {
    private final ArrayDeque<Slot> queue = new ArrayDeque<>();
    /** The ticket of the request being handled, until it takes a place (or is finished without one). */
    private Ticket current;

    /** A place in the order, filled with its answer when the request is ready. */
    final class Slot {
        private Runnable answer;
        private final Ticket ticket;

        private Slot(Ticket ticket) {
            this.ticket = ticket;
        }

        /** Supplies the answer; it runs as soon as everything ahead of it has been answered. */
        void complete(Runnable answer) {
            this.answer = answer;
            drain();
        }
    }

    /** The request thread starts handling the request that holds {@code ticket}. */
    void begin(Ticket ticket) {
        current = ticket;
    }

    /** The request's handling returned: ends its ticket unless a place in the order holds it now. */
    void finish() {
        Ticket t = current;
        current = null;
        if (t != null) {
            t.end();
        }
    }

    /** A step that needs nothing from the log: runs now unless something of this connection is pending. */
    void inOrder(Runnable step) {
        Ticket ticket = take();
        if (queue.isEmpty()) {
            run(step, ticket);
        } else {
            Slot slot = new Slot(ticket);
            slot.answer = step;
            queue.add(slot);
        }
    }

    /** Reserves a place for a write's answer. */
    Slot reserve() {
        Slot slot = new Slot(take());
        queue.add(slot);
        return slot;
    }

    private Ticket take() {
        Ticket t = current;
        current = null;
        if (t != null) {
            t.placed();
        }
        return t;
    }

    private static void run(Runnable step, Ticket ticket) {
        try {
            step.run();
        } finally {
            if (ticket != null) {
                ticket.end();
            }
        }
    }

    private void drain() {
        while (!queue.isEmpty() && queue.peek().answer != null) {
            Slot slot = queue.poll();
            run(slot.answer, slot.ticket);
        }
    }
}
