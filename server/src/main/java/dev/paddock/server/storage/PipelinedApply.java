package dev.paddock.server.storage;

import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.Txn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Applies the transactions start-up reads on a thread of its own, while the caller goes on reading, checking
 * and decoding the log: two cores share a long replay instead of one doing it all. The caller hands over
 * decoded transactions in zxid order ({@link #accept}); they are applied in that order, in batches through a
 * bounded queue (so a reader far ahead waits rather than holding the log in memory), and {@link #finish}
 * waits for the last and hands the state machine back to the caller's thread.
 *
 * <p>An apply that fails (a bug, or a transaction that contradicts the tree) stops the pipeline: the next
 * {@link #accept} or {@link #finish} throws it, so start-up fails as it would have applying on one thread.
 */
final class PipelinedApply implements AutoCloseable {
    static final int BATCH = 512;
    static final int QUEUED_BATCHES = 16;
    private static final List<Txn> END = List.of();

    private final StateMachine stateMachine;
    private final BlockingQueue<List<Txn>> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final Thread thread;
    private List<Txn> batch = new ArrayList<>(BATCH);
    private volatile Throwable failure;
    private boolean finished;

    PipelinedApply(StateMachine stateMachine) {
        this.stateMachine = stateMachine;
        this.thread = new Thread(this::run, "paddock-recovery-apply");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues one transaction to be applied after those before it; throws if an earlier apply failed. */
    void accept(Txn txn) {
        batch.add(txn);
        if (batch.size() >= BATCH) {
            handOver();
        }
    }

    /** Waits until every transaction handed over is applied; throws what failed applying one. */
    void finish() {
        handOver();
        finished = true;
        put(END);
        join();
        rethrowFailure();
    }

    /** Stops the apply thread when the reading failed (nothing more will come); no-op after {@link #finish}. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        thread.interrupt();
        join();
    }

    private void handOver() {
        rethrowFailure();
        if (!batch.isEmpty()) {
            put(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    private void put(List<Txn> item) {
        try {
            while (!queue.offer(item, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                rethrowFailure(); // the apply thread stopped taking: do not wait for ever
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing the log over to be applied", e);
        }
    }

    private void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the log read at start-up was being applied", e);
        }
    }

    private void rethrowFailure() {
        Throwable t = failure;
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("applying the log read at start-up failed: " + t.getMessage(), t);
        }
    }

    private void run() {
        try {
            while (true) {
                List<Txn> next = queue.take();
                if (next == END) {
                    return;
                }
                for (Txn txn : next) {
                    stateMachine.apply(txn);
                }
            }
        } catch (InterruptedException e) {
            // close(): the reading failed, nothing more will come
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }
}
