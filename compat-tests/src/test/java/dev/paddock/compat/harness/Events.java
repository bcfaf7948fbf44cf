package dev.paddock.compat.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;

/**
 * A watcher that records what it is given, node events and connection-state events apart (the
 * client hands connection-state events to every registered watcher, which would otherwise get
 * in the way of checking the order of node events).
 */
public final class Events implements Watcher {
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final LinkedBlockingQueue<WatchedEvent> nodeEvents = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<KeeperState> states = new LinkedBlockingQueue<>();
    private final List<String> sink;
    private final String label;

    public Events() {
        this(null, null);
    }

    /** Also appends "label:Type path" for every node event to a log shared with other recorders. */
    public Events(String label, List<String> sink) {
        this.label = label;
        this.sink = sink;
    }

    @Override
    public void process(WatchedEvent e) {
        if (e.getType() == EventType.None) {
            states.add(e.getState());
        } else {
            if (sink != null) {
                synchronized (sink) {
                    sink.add(label + ":" + format(e));
                }
            }
            nodeEvents.add(e);
        }
    }

    public static String format(WatchedEvent e) {
        return e.getType() + " " + e.getPath();
    }

    /** The next node event, as "Type path". */
    public String next() {
        try {
            WatchedEvent e = nodeEvents.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                return fail("no node event within " + WAIT.toMillis() + " ms");
            }
            return format(e);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** The next n node events, in the order they were delivered. */
    public List<String> next(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    public void expect(EventType type, String path) {
        assertThat(next()).isEqualTo(type + " " + path);
    }

    /** Fails if a node event arrives within the period. */
    public void expectNoNodeEvent(Duration period) {
        try {
            WatchedEvent e = nodeEvents.poll(period.toMillis(), TimeUnit.MILLISECONDS);
            if (e != null) {
                fail("unexpected node event: " + format(e));
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** Node events already delivered, without waiting. */
    public List<String> drain() {
        List<WatchedEvent> l = new ArrayList<>();
        nodeEvents.drainTo(l);
        return l.stream().map(Events::format).toList();
    }

    /** Waits for the given connection state, skipping other states. */
    public void awaitState(KeeperState wanted) {
        awaitState(wanted, WAIT);
    }

    public void awaitState(KeeperState wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<KeeperState> seen = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                KeeperState s = left <= 0 ? null : states.poll(left, TimeUnit.NANOSECONDS);
                if (s == null) {
                    fail("state " + wanted + " not reached within " + timeout.toMillis() + " ms; saw " + seen);
                }
                seen.add(s);
                if (s == wanted) {
                    return;
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** Connection states received so far and not yet consumed. */
    public List<KeeperState> drainStates() {
        List<KeeperState> l = new ArrayList<>();
        states.drainTo(l);
        return l;
    }
}
