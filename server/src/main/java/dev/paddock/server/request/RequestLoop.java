package dev.paddock.server.request;

import dev.paddock.server.fault.EssentialThreads;
import dev.paddock.server.fault.FatalFaults;
import dev.paddock.server.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the state machine, the sessions and the watches. Network threads hand it tasks
 * through a bounded queue; it runs them in arrival order, so each session's requests are answered in the
 * order they were sent and every watch event is written before any reply that reflects its change. After
 * each batch it flushes every connection it wrote to. Periodic work (session expiry, container reaping)
 * runs on the same thread, timed by the injected clock. A task that throws stops the process
 * ({@link FatalFaults}) and the loop.
 *
 * <p>"The request thread" is a role, not always this thread: when the loop is idle (no task queued or
 * running) a caller may run its task itself ({@link #tryRunHere}) under the same lock the loop holds for a
 * batch, so tasks still run one at a time, in order, each seeing the last one's effects. That saves a
 * hand-off (a futex wake and a context switch, tens of microseconds of CPU here) for a request that would
 * otherwise wake an idle thread only to run at once; under load the loop is busy and tasks queue as before.
 */
public final class RequestLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLoop.class);
    /** Upper bound on queued tasks; network threads wait when it is full (and stop reading before that). */
    public static final int QUEUE_CAPACITY = 65_536;
    private static final int MAX_BATCH = 1024;
    private static final long MAX_IDLE_WAIT_MS = 50;

    private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Clock clock;
    private final FlushQueue flushQueue = new FlushQueue();
    private final List<Periodic> periodics = new ArrayList<>();
    private final Thread thread;
    /** Held while a task runs, on this thread or a caller's: at most one runs at a time. */
    private final ReentrantLock owner = new ReentrantLock();
    /** Tasks handed over and not yet run; a caller may run a task itself only when none is. */
    private final AtomicInteger handedOver = new AtomicInteger();
    private volatile boolean running = true;

    private static final class Periodic {
        final long intervalMs;
        final Runnable task;
        long nextRunMs;

        Periodic(long intervalMs, Runnable task, long firstRunMs) {
            this.intervalMs = intervalMs;
            this.task = task;
            this.nextRunMs = firstRunMs;
        }
    }

    public RequestLoop(Clock clock, String name) {
        this.clock = clock;
        this.thread = new Thread(EssentialThreads.guard(name, this::run), name);
        this.thread.setDaemon(true);
    }

    public FlushQueue flushQueue() {
        return flushQueue;
    }

    /** Registers work to run every {@code intervalMs}; call before {@link #start()}. */
    public void every(long intervalMs, Runnable task) {
        periodics.add(new Periodic(intervalMs, task, clock.monotonicMs() + intervalMs));
    }

    public void start() {
        thread.start();
    }

    /** Queues a task; blocks while the queue is full. Tasks submitted after close are dropped. */
    public void execute(Runnable task) {
        if (!running) {
            return;
        }
        handedOver.incrementAndGet(); // before the task is visible, so no caller can overtake it
        try {
            while (!queue.offer(task, 100, TimeUnit.MILLISECONDS)) {
                if (!running) {
                    handedOver.decrementAndGet();
                    return;
                }
            }
        } catch (InterruptedException e) {
            handedOver.decrementAndGet();
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the task here if the loop is idle ({@link #tryRunHere}), else queues it ({@link #execute}). */
    public void runHereOrExecute(Runnable task) {
        if (!tryRunHere(task)) {
            execute(task);
        }
    }

    /**
     * Runs the task on the calling thread, as the request thread, when that changes nothing but the thread:
     * the loop is running, every task handed over before has run, none is running, and the caller is not
     * inside a task itself (a task's own follow-up must queue behind it). Then flushes what it wrote, as the
     * loop does after a batch. False when it did not run: the caller hands it over instead.
     */
    public boolean tryRunHere(Runnable task) {
        if (!running || handedOver.get() != 0 || owner.isHeldByCurrentThread() || !owner.tryLock()) {
            return false;
        }
        try {
            if (!running || handedOver.get() != 0) {
                return false; // handed over meanwhile: it goes first
            }
            if (runOrStop(task)) {
                runOrStop(flushQueue::flushAll);
            }
            return true;
        } finally {
            owner.unlock();
        }
    }

    /** False once the loop was closed or stopped by a failed task. */
    public boolean isRunning() {
        return running;
    }

    /** Queues a task without waiting; false when the queue is full or the loop is closed. */
    public boolean tryExecute(Runnable task) {
        if (!running) {
            return false;
        }
        handedOver.incrementAndGet();
        if (queue.offer(task)) {
            return true;
        }
        handedOver.decrementAndGet();
        return false;
    }

    private void run() {
        List<Runnable> batch = new ArrayList<>(MAX_BATCH);
        while (running) {
            Runnable first;
            try {
                first = queue.poll(waitMs(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // close() interrupts; the loop's condition decides
            }
            owner.lock();
            try {
                if (!runBatch(first, batch) || !runDuePeriodics() || !runOrStop(flushQueue::flushAll)) {
                    return;
                }
            } finally {
                owner.unlock();
            }
        }
    }

    /** Runs {@code first} and whatever queued behind it, in order; false once a task failed. */
    private boolean runBatch(Runnable first, List<Runnable> batch) {
        if (first == null) {
            return true;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        try {
            for (Runnable task : batch) {
                boolean ran = runOrStop(task);
                handedOver.decrementAndGet();
                if (!ran) {
                    return false;
                }
            }
            return true;
        } finally {
            batch.clear();
        }
    }

    private long waitMs() {
        long now = clock.monotonicMs();
        long wait = MAX_IDLE_WAIT_MS;
        for (Periodic p : periodics) {
            wait = Math.min(wait, Math.max(0, p.nextRunMs - now));
        }
        return wait;
    }

    private boolean runDuePeriodics() {
        long now = clock.monotonicMs();
        for (Periodic p : periodics) {
            if (now >= p.nextRunMs) {
                p.nextRunMs = now + p.intervalMs;
                if (!runOrStop(p.task)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Runs one task. An exception that escapes a task is a bug in code that owns the replicated state (the
     * per-connection parts guard themselves and close only their connection, see
     * {@link SessionHandler#guarded}): carrying on could let this server diverge silently, so the process
     * stops and this loop takes no further task.
     */
    private boolean runOrStop(Runnable task) {
        try {
            task.run();
            return true;
        } catch (RuntimeException | Error e) {
            if (!running) {
                // Closing: close() interrupts this thread, and a task may fail for that; not a bug.
                LOG.warn("A request-thread task failed while the loop was closing", e);
                return false;
            }
            running = false;
            FatalFaults.stop(FatalFaults.UNEXPECTED_ERROR, "unexpected error on the request thread", e);
            return false;
        }
    }

    /** Stops taking tasks and waits (5 s at most each) for this thread and for a caller's task in progress. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
            // A caller may still be running a task as the request thread (tryRunHere): let it finish, as
            // the loop's own thread was let finish, before whatever closes next (the log) goes away.
            if (owner.tryLock(5, TimeUnit.SECONDS)) {
                owner.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
