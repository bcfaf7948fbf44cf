package dev.paddock.server.ensemble;

import dev.paddock.server.request.RequestLoop;

/**
 * The thread that owns the state machine and the member, as the member's other threads (the log writer,
 * the snapshot thread, the network) see it: they hand it work and never touch that state themselves. In the
 * server it is the {@link RequestLoop}; in the glue simulation it is a queue of events the scheduler runs.
 */
public interface RequestThread {
    /** Queues a task; may wait while the queue is full. */
    void execute(Runnable task);

    /** Queues a task without ever waiting; false when it could not (the caller tries again later). */
    boolean tryExecute(Runnable task);

    /**
     * Runs the task on the calling thread, as the request thread, if that thread is idle (nothing queued or
     * running); false when it did not (the caller queues it). A request thread that cannot say never does.
     */
    default boolean tryRunHere(Runnable task) {
        return false;
    }

    static RequestThread of(RequestLoop loop) {
        return new RequestThread() {
            @Override
            public void execute(Runnable task) {
                loop.execute(task);
            }

            @Override
            public boolean tryExecute(Runnable task) {
                return loop.tryExecute(task);
            }

            @Override
            public boolean tryRunHere(Runnable task) {
                return loop.tryRunHere(task);
            }
        };
    }
}
