package dev.paddock.server.history;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * A ZooKeeper client handle whose operations are recorded in a {@link History} as one process. Each method
 * returns the outcome, or null when the operation failed or its outcome is unknown. NoNode, NodeExists and
 * BadVersion are answers the model checks; connection loss, timeouts and session expiry leave the outcome
 * unknown (the request may still be applied); any other error means the request was refused, so it did not
 * happen. Data travel as ISO-8859-1 strings, which map every byte array to a string and back.
 */
public final class RecordingClient {
    private static final long SYNC_WAIT_SECONDS = 30;

    private final ZooKeeper zk;
    private final History history;
    private final int process;

    public RecordingClient(ZooKeeper zk, History history, int process) {
        this.zk = zk;
        this.history = history;
        this.process = process;
    }

    public ZooKeeper zooKeeper() {
        return zk;
    }

    public Outcome read(String path) throws InterruptedException {
        return run(Operation.read(path), () -> getData(path));
    }

    /** sync, then getData; a sync that fails means the read never happened. */
    public Outcome syncedRead(String path) throws InterruptedException {
        return run(Operation.syncedRead(path), () -> {
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger rc = new AtomicInteger();
            zk.sync(path, (code, p, ctx) -> {
                rc.set(code);
                done.countDown();
            }, null);
            if (!done.await(SYNC_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new SyncFailed();
            }
            KeeperException.Code code = KeeperException.Code.get(rc.get());
            if (code != KeeperException.Code.OK) {
                throw new SyncFailed();
            }
            return getData(path);
        });
    }

    public Outcome write(String path, String data) throws InterruptedException {
        return cas(path, -1, data);
    }

    public Outcome cas(String path, int expectedVersion, String data) throws InterruptedException {
        return run(Operation.cas(path, expectedVersion, data), () -> {
            Stat s = zk.setData(path, bytes(data), expectedVersion);
            return Outcome.written(s.getVersion(), s.getCzxid());
        });
    }

    public Outcome create(String path, String data) throws InterruptedException {
        return run(Operation.create(path, data), () -> {
            Stat s = new Stat();
            zk.create(path, bytes(data), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, s);
            return Outcome.created(s.getCzxid());
        });
    }

    public Outcome delete(String path, int expectedVersion) throws InterruptedException {
        return run(Operation.delete(path, expectedVersion), () -> {
            zk.delete(path, expectedVersion);
            return Outcome.deleted();
        });
    }

    private Outcome getData(String path) throws KeeperException, InterruptedException {
        Stat s = new Stat();
        byte[] data = zk.getData(path, false, s);
        return Outcome.read(text(data), s.getVersion(), s.getCzxid());
    }

    private interface Request {
        Outcome call() throws Exception;
    }

    /** Thrown inside a synced read when the sync did not complete. */
    private static final class SyncFailed extends Exception {
        SyncFailed() {
            super(null, null, false, false);
        }
    }

    private Outcome run(Operation op, Request request) throws InterruptedException {
        int id = history.invoke(process, op);
        try {
            Outcome out = request.call();
            history.ok(id, out);
            return out;
        } catch (KeeperException e) {
            return answer(id, e);
        } catch (InterruptedException e) {
            history.unknown(id);
            throw e;
        } catch (SyncFailed e) {
            history.fail(id);
            return null;
        } catch (Exception e) {
            history.unknown(id);
            throw new IllegalStateException(e);
        }
    }

    private Outcome answer(int id, KeeperException e) {
        Outcome out = switch (e.code()) {
            case NONODE -> Outcome.noNode();
            case NODEEXISTS -> Outcome.nodeExists();
            case BADVERSION -> Outcome.badVersion();
            default -> null;
        };
        if (out != null) {
            history.ok(id, out);
        } else if (uncertain(e.code())) {
            history.unknown(id);
        } else {
            history.fail(id);
        }
        return out;
    }

    private static boolean uncertain(KeeperException.Code code) {
        return switch (code) {
            case CONNECTIONLOSS, OPERATIONTIMEOUT, SESSIONEXPIRED, SESSIONMOVED, REQUESTTIMEOUT -> true;
            default -> false;
        };
    }

    static byte[] bytes(String data) {
        return data.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] data) {
        return data == null ? "" : new String(data, StandardCharsets.ISO_8859_1);
    }
}
