package dev.paddock.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/**
 * A plain ZooKeeper client (whichever client the test module has: Kafka and Dubbo both pin 3.8.4) for looking
 * at what the application under test wrote, and for writing what an operator's console writes.
 */
public final class ZkInspector implements AutoCloseable {
    private final ZooKeeper zk;

    private ZkInspector(ZooKeeper zk) {
        this.zk = zk;
    }

    public static ZkInspector connect(String connectString) throws Exception {
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
    public Stat stat(String path) throws KeeperException, InterruptedException {
        return zk.exists(path, false);
    }

    public boolean exists(String path) throws KeeperException, InterruptedException {
        return stat(path) != null;
    }

    /** The node's data; NoNode if it does not exist. */
    public byte[] data(String path) throws KeeperException, InterruptedException {
        return zk.getData(path, false, null);
    }

    /** The node's data as UTF-8 text (null for null data); NoNode if it does not exist. */
    public String text(String path) throws KeeperException, InterruptedException {
        byte[] data = data(path);
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    /** The children; NoNode if the node does not exist. */
    public List<String> children(String path) throws KeeperException, InterruptedException {
        return zk.getChildren(path, false);
    }

    /** The children, or an empty list if the node does not exist. */
    public List<String> childrenOrEmpty(String path) throws KeeperException, InterruptedException {
        try {
            return children(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    public List<ACL> acl(String path) throws KeeperException, InterruptedException {
        return zk.getACL(path, new Stat());
    }

    /** setData with the node's own data; the result code instead of an exception. */
    public KeeperException.Code trySetData(String path, int version) throws InterruptedException {
        try {
            zk.setData(path, zk.getData(path, false, null), version);
            return KeeperException.Code.OK;
        } catch (KeeperException e) {
            return e.code();
        }
    }

    /** Creates or overwrites a persistent node (and its missing parents), as a governance console does. */
    public void put(String path, String data) throws KeeperException, InterruptedException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        try {
            zk.setData(path, bytes, -1);
        } catch (KeeperException.NoNodeException e) {
            createParents(path);
            zk.create(path, bytes, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
    }

    public void delete(String path) throws KeeperException, InterruptedException {
        zk.delete(path, -1);
    }

    private void createParents(String path) throws KeeperException, InterruptedException {
        List<String> parents = new ArrayList<>();
        for (int i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
            parents.add(path.substring(0, i));
        }
        for (String p : parents) {
            try {
                zk.create(p, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException ignored) {
                // already there: only the missing ones are made
            }
        }
    }

    /**
     * Ends the session {@code sessionId} the way ZooKeeper's own tests do: a second connection with the
     * same id and password closes it, which expires it for its first owner.
     */
    public static void expireSession(String connectString, long sessionId, byte[] password) throws Exception {
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

    @Override
    public void close() throws InterruptedException {
        zk.close();
    }
}
