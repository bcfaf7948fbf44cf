package dev.paddock.server.fault;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ThreadFactory;

/**
 * Threads without which the server answers nothing (the request thread, the client port's accept and I/O
 * loops; the log writer reports its own failure): if one ends by an exception or error, out of memory
 * included, the process stops through {@link FatalFaults} rather than stay up serving no one, so a
 * supervisor restarts it and clients move to another server. bin/paddock adds
 * {@code -XX:+ExitOnOutOfMemoryError} for the out-of-memory case that strikes elsewhere.
 */
public final class EssentialThreads {
    private EssentialThreads() {
    }

    /** {@code body} that stops the process if it ends by a throwable. */
    public static Runnable guard(String name, Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                FatalFaults.stop(FatalFaults.UNEXPECTED_ERROR, "essential thread " + name + " died", t);
                throw t;
            }
        };
    }

    /** Netty threads (daemon, named {@code prefix-N}) whose loops are guarded. */
    public static ThreadFactory netty(String prefix) {
        return new DefaultThreadFactory(prefix, true) {
            @Override
            protected Thread newThread(Runnable r, String name) {
                return super.newThread(guard(name, r), name);
            }
        };
    }
}
