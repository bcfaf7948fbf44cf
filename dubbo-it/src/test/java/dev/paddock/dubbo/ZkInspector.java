package dev.paddock.dubbo;

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
import org.apache.zookeeper.data.Stat;

/**
 * A plain ZooKeeper client (the 3.8.4 client on the classpath) for looking at what Dubbo wrote and for
 * writing what an operator's console writes (rules under /dubbo/config).
 */
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

    boolean exists(String path) throws KeeperException, InterruptedException {
        return stat(path) != null;
    }

    String data(String path) throws KeeperException, InterruptedException {
        byte[] data = zk.getData(path, false, null);
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    /** The children, or an empty list if the node does not exist. */
    List<String> children(String path) throws KeeperException, InterruptedException {
        try {
            return zk.getChildren(path, false);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    /** Creates or overwrites a persistent node (and its missing parents), as a governance console does. */
    void put(String path, String data) throws KeeperException, InterruptedException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        try {
            zk.setData(path, bytes, -1);
        } catch (KeeperException.NoNodeException e) {
            createParents(path);
            zk.create(path, bytes, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
    }

    void delete(String path) throws KeeperException, InterruptedException {
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

    @Override
    public void close() throws InterruptedException {
        zk.close();
    }
}
