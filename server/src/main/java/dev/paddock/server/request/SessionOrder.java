package dev.paddock.server.request;

import java.util.ArrayDeque;

/**
 * Keeps one connection's answers in the order its requests arrived while writes wait for the log: a read
 * that arrives behind an unfinished write of the same connection waits for it (docs/decisions.md decision 7);
 * reads with nothing pending ahead are answered at once, and writes pipeline freely. Bounded by the
 * network layer, which stops reading from a connection with too many requests outstanding. Request thread
 * only.
 */
final class SessionOrder {
    private final ArrayDeque<Slot> queue = new ArrayDeque<>();

    /** A place in the order, filled with its answer when the request is ready. */
    final class Slot {
        private Runnable answer;

        /** Supplies the answer; it runs as soon as everything ahead of it has been answered. */
        void complete(Runnable answer) {
            this.answer = answer;
            drain();
        }
    }

    /** A step that needs nothing from the log: runs now unless something of this connection is pending. */
    void inOrder(Runnable step) {
        if (queue.isEmpty()) {
            step.run();
        } else {
            Slot slot = new Slot();
            slot.answer = step;
            queue.add(slot);
        }
    }

    /** Reserves a place for a write's answer. */
    Slot reserve() {
        Slot slot = new Slot();
        queue.add(slot);
        return slot;
    }

    private void drain() {
        while (!queue.isEmpty() && queue.peek().answer != null) {
            queue.poll().answer.run();
        }
    }
}
