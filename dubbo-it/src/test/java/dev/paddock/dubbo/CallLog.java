package dev.paddock.dubbo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A consumer calling without pause on a thread of its own, recording each call's start time and who
 * answered it (or the failure). Bounded: at most {@link #MAX_CALLS} calls are kept; the scenarios need a
 * few thousand.
 */
final class CallLog implements AutoCloseable {
    static final int MAX_CALLS = 200_000;

    record Call(long startedNanos, String answeredBy, String failure) {}

    private final List<Call> calls = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    private CallLog(Supplier<String> call) {
        thread = new Thread(() -> loop(call), "dubbo-caller");
        thread.setDaemon(true);
    }

    /** Starts calling {@code call} (which returns the answering provider's id). */
    static CallLog start(Supplier<String> call) {
        CallLog log = new CallLog(call);
        log.thread.start();
        return log;
    }

    private void loop(Supplier<String> call) {
        while (!stop.get()) {
            long started = System.nanoTime();
            Call c;
            try {
                c = new Call(started, call.get(), null);
            } catch (RuntimeException e) {
                c = new Call(started, null, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            synchronized (calls) {
                if (calls.size() >= MAX_CALLS) {
                    return;
                }
                calls.add(c);
            }
            try {
                Thread.sleep(2); // a steady trickle, not a load test
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    List<Call> since(long nanos) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.startedNanos() - nanos >= 0).toList();
        }
    }

    int size() {
        synchronized (calls) {
            return calls.size();
        }
    }

    /** provider id -> calls it answered, among {@code calls}. */
    static Map<String, Integer> answers(List<Call> calls) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Call c : calls) {
            if (c.answeredBy() != null) {
                counts.merge(c.answeredBy(), 1, Integer::sum);
            }
        }
        return counts;
    }

    static List<Call> failures(List<Call> calls) {
        return calls.stream().filter(c -> c.failure() != null).toList();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(30_000);
    }
}
