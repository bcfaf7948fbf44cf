package dev.paddock.server.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The doubly linked list of call and return events of Wing and Gong's search: an operation's call and its
 * return are taken out when the operation is linearized ({@link Entry#lift}) and put back, in the same
 * place, when the search backtracks ({@link Entry#unlift}). Operations whose outcome is unknown return
 * "at infinity", after every known return, so they may be linearized anywhere after their call.
 */
final class EventList {
    /** One event. A call knows its return ({@code match}); {@code op} indexes the search's operations. */
    static final class Entry {
        final int op;
        final boolean call;
        Entry match;
        Entry prev;
        Entry next;

        Entry(int op, boolean call) {
            this.op = op;
            this.call = call;
        }

        /** Takes this call and its return out of the list. */
        void lift() {
            prev.next = next;
            next.prev = prev;
            match.prev.next = match.next;
            if (match.next != null) {
                match.next.prev = match.prev;
            }
        }

        /** Puts this call and its return back where they were (undoes the latest lift). */
        void unlift() {
            match.prev.next = match;
            if (match.next != null) {
                match.next.prev = match;
            }
            prev.next = this;
            next.prev = this;
        }
    }

    private EventList() {
    }

    /** Builds the list for {@code ops} (indexed as given) and returns its head sentinel. */
    static Entry build(List<RecordedOp> ops) {
        record Event(long seq, int op, boolean call) {
        }
        List<Event> events = new ArrayList<>(ops.size() * 2);
        for (int i = 0; i < ops.size(); i++) {
            RecordedOp o = ops.get(i);
            events.add(new Event(o.invokeSeq(), i, true));
            events.add(new Event(o.known() ? o.endSeq() : Long.MAX_VALUE, i, false));
        }
        events.sort(Comparator.comparingLong(Event::seq).thenComparingInt(Event::op));
        Entry head = new Entry(-1, false);
        Entry last = head;
        Entry[] calls = new Entry[ops.size()];
        for (Event e : events) {
            Entry entry = new Entry(e.op(), e.call());
            if (e.call()) {
                calls[e.op()] = entry;
            } else {
                calls[e.op()].match = entry;
            }
            entry.prev = last;
            last.next = entry;
            last = entry;
        }
        return head;
    }
}
