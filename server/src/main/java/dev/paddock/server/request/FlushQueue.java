package dev.paddock.server.request;

import java.util.ArrayList;
import java.util.List;

/**
 * Connections written to during the current batch of requests. The request thread flushes them all once
 * the batch is done, so many replies share one system call. Request thread only.
 */
public final class FlushQueue {
    private final List<Connection> pending = new ArrayList<>();

    void add(Connection c) {
        pending.add(c);
    }

    void flushAll() {
        for (Connection c : pending) {
            c.flushed();
            try {
                c.channel().flush();
            } catch (RuntimeException e) {
                c.fail(e); // this connection's failure, not the batch's
            }
        }
        pending.clear();
    }
}
