package dev.paddock.server.request;

/**
 * An exception out of the write path ({@link WritePath}: the log, replication, {@code StateMachine.apply},
 * watch firing) met while handling one connection's request. It is an {@link Error}, so the guard around a
 * connection's handling ({@link SessionHandler#guarded}) never takes it for that connection's problem: it
 * reaches the request loop, which stops the process.
 */
final class WritePathFailure extends Error {
    private WritePathFailure(RuntimeException cause) {
        super("the write path failed", cause);
    }

    /** Calls into the write path from a connection's handling. */
    static void call(Runnable writePathCall) {
        try {
            writePathCall.run();
        } catch (RuntimeException e) {
            throw new WritePathFailure(e);
        }
    }
}
