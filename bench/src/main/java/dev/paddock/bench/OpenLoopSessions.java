package dev.paddock.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.ZooKeeper;

/**
 * {@link OpenLoop}'s sessions on a real server: reference-client sessions with its asynchronous API, getData
 * and setData on the load generator's keys ({@link LoadGenerator#key}). Each session answers on its own event
 * thread; how many requests each may have outstanding is {@link OpenLoop}'s bound, so the client's own
 * outgoing queue stays bounded by it.
 */
final class OpenLoopSessions implements OpenLoop.Sessions, AutoCloseable {
    private final List<ZooKeeper> sessions = new ArrayList<>();
    private final int keys;
    private volatile byte[] data = new byte[0];

    OpenLoopSessions(String connect, int count, int keys) throws Exception {
        this.keys = keys;
        try {
            for (int i = 0; i < count; i++) {
                sessions.add(Clients.connect(connect, 30_000));
            }
            Clients.ensure(sessions.get(0), LoadGenerator.ROOT, new byte[0]);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Sets every key to {@code payloadBytes} bytes; later writes write that many. */
    void prepare(int payloadBytes) throws Exception {
        LoadGenerator.prepare(sessions.get(0), keys, payloadBytes);
        data = new byte[payloadBytes];
    }

    int keys() {
        return keys;
    }

    @Override
    public int count() {
        return sessions.size();
    }

    @Override
    public void send(int session, boolean read, int key, IntConsumer done) {
        ZooKeeper zk = sessions.get(session);
        String path = LoadGenerator.key(key);
        if (read) {
            zk.getData(path, false, (AsyncCallback.DataCallback) (rc, p, ctx, d, stat) -> done.accept(rc), null);
        } else {
            zk.setData(path, data, -1, (AsyncCallback.StatCallback) (rc, p, ctx, stat) -> done.accept(rc), null);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (ZooKeeper zk : sessions) {
            zk.close();
        }
    }
}
