package dev.paddock.kafka;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/** A plain ZooKeeper client (the 3.8.4 client that Kafka ships) for looking at what Kafka wrote. */
final class ZkInspector implements AutoCloseable {
    private final ZooKeeper zk;

    private ZkInspector(ZooKeeper zk) {
        this.zk = zk;
    }

    static ZkInspector connect(String connectString) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 10_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(15, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("could not connect to " + connectString);
        }
        return new ZkInspector(zk);
    }

    /** The node's Stat, or null if it does not exist. */
    Stat stat(String path) throws KeeperException, InterruptedException {
        return zk.exists(path, false);
    }

    byte[] data(String path) throws KeeperException, InterruptedException {
        return zk.getData(path, false, null);
    }

    List<String> children(String path) throws KeeperException, InterruptedException {
        return zk.getChildren(path, false);
    }

    List<org.apache.zookeeper.data.ACL> acl(String path) throws KeeperException, InterruptedException {
        return zk.getACL(path, new Stat());
    }

    /** setData with the node's own data; the result code instead of an exception. */
    KeeperException.Code trySetData(String path, int version) throws InterruptedException {
        try {
            zk.setData(path, zk.getData(path, false, null), version);
            return KeeperException.Code.OK;
        } catch (KeeperException e) {
            return e.code();
        }
    }

    /**
     * Ends the session {@code sessionId} the way ZooKeeper's own tests do: a second connection with the
     * same id and password closes it, which expires it for its first owner.
     */
    static void expireSession(String connectString, long sessionId, byte[] password) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper twin = new ZooKeeper(connectString, 6_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, sessionId, password);
        try {
            if (!connected.await(15, TimeUnit.SECONDS)) {
                throw new AssertionError("twin connection for session 0x" + Long.toHexString(sessionId) + " failed");
            }
        } finally {
            twin.close();
        }
    }

    static Duration timeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    public void close() throws InterruptedException {
        zk.close();
    }
}
