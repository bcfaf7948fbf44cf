package dev.paddock.server.ensemble;

import dev.paddock.server.time.ManualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The glue simulation's only source of order: a queue of events in simulated time, run one at a time on
 * the test's thread. Events at the same time run in the order they were scheduled, as tasks queued to one
 * thread would. It keeps the last events as a trace (formatted only when a schedule fails) and, for a rerun
 * of one seed, prints every event as it runs. The members' clocks are {@link ManualClock}s that it moves with
 * simulated time.
 */
final class SimScheduler {
    private record Event(long timeMs, long seq, Object label, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return timeMs != o.timeMs ? Long.compare(timeMs, o.timeMs) : Long.compare(seq, o.seq);
        }
    }

    /** One line of the trace; {@code what} is formatted only when the trace is shown. */
    private record Line(long timeMs, Object what) {
        @Override
        public String toString() {
            return timeMs + "ms  " + what;
        }
    }

    /** Wall-clock time at the start of every schedule, so session ids and ctimes look like real ones. */
    static final long START_WALL_MS = 1_700_000_000_000L;

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final List<ManualClock> clocks = new ArrayList<>();
    private final ArrayDeque<Line> trace = new ArrayDeque<>();
    private final int traceLength;
    private final boolean printEvents;
    private long nowMs;
    private long seq;
    private long eventsRun;

    SimScheduler(int traceLength, boolean printEvents) {
        this.traceLength = traceLength;
        this.printEvents = printEvents;
    }

    long nowMs() {
        return nowMs;
    }

    long eventsRun() {
        return eventsRun;
    }

    /** A clock that reads simulated time, {@code skewMs} off (members' clocks disagree, as real ones do). */
    ManualClock clock(long skewMs) {
        ManualClock c = new ManualClock(START_WALL_MS + nowMs + skewMs);
        clocks.add(c);
        return c;
    }

    /** Runs {@code action} at {@code delayMs} from now (0: after everything already due now). */
    void after(long delayMs, Object label, Runnable action) {
        events.add(new Event(nowMs + Math.max(0, delayMs), seq++, label, action));
    }

    /** Adds a line to the trace; {@code what} is formatted lazily unless every event is printed. */
    void note(Object what) {
        Line line = new Line(nowMs, what);
        if (printEvents) {
            System.out.println(line);
        }
        if (trace.size() == traceLength) {
            trace.poll();
        }
        trace.add(line);
    }

    /**
     * Runs the next event if it is due at or before {@code untilMs}, moving time to it; otherwise moves
     * time to {@code untilMs}. Returns whether an event ran.
     */
    boolean runNext(long untilMs) {
        Event e = events.peek();
        if (e == null || e.timeMs() > untilMs) {
            advanceTo(Math.max(nowMs, untilMs));
            return false;
        }
        events.poll();
        advanceTo(e.timeMs());
        eventsRun++;
        if (e.label() != null) {
            note(e.label());
        }
        e.action().run();
        return true;
    }

    private void advanceTo(long timeMs) {
        long delta = timeMs - nowMs;
        if (delta > 0) {
            for (ManualClock c : clocks) {
                c.advanceMs(delta);
            }
            nowMs = timeMs;
        }
    }

    String trace() {
        StringBuilder sb = new StringBuilder();
        for (Line line : trace) {
            sb.append("  ").append(line).append('\n');
        }
        return sb.toString();
    }
}
