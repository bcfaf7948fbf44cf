package dev.paddock.server.mirror;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * A mixed write load on a ZooKeeper ensemble, on a thread of its own until stopped: persistent, sequential,
 * ephemeral, container and TTL nodes, setData, setACL (a digest ACL its own session can read), deletes,
 * multis that succeed and multis that fail (logged by ZooKeeper as error transactions), and failed writes.
 * Seeded, so a failure can be replayed.
 */
final class MirrorLoad implements AutoCloseable {
    static final String USER = "mirror:secret";

    private final ZooKeeper zk;
    private final String root;
    private final Random random;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong ops = new AtomicLong();
    private final Thread thread;
    private volatile Throwable failure;

    MirrorLoad(ZooKeeper zk, String root, long seed) throws Exception {
        this.zk = zk;
        this.root = root;
        this.random = new Random(seed);
        zk.addAuthInfo("digest", USER.getBytes(StandardCharsets.UTF_8));
        zk.create(root, bytes("load"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/seq", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        thread = new Thread(this::run, "mirror-load-" + root);
        thread.setDaemon(true);
        thread.start();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Operations done so far; a load that broke says so here rather than never reaching a count. */
    long ops() {
        if (failure != null) {
            throw new AssertionError("the load failed", failure);
        }
        return ops.get();
    }

    private void run() {
        try {
            while (!stop.get()) {
                oneOp();
                ops.incrementAndGet();
            }
        } catch (KeeperException.ConnectionLossException | KeeperException.SessionMovedException e) {
            // the member the client uses was killed: carry on after the client reconnects
            if (!stop.get()) {
                pauseThenRun();
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void pauseThenRun() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            return;
        }
        run();
    }

    private void oneOp() throws Exception {
        int pick = random.nextInt(11);
        String name = root + "/n" + random.nextInt(60);
        List<ACL> open = ZooDefs.Ids.OPEN_ACL_UNSAFE;
        try {
            switch (pick) {
                case 0, 1 -> zk.create(name, bytes("v" + ops.get()), open, CreateMode.PERSISTENT);
                case 2 -> zk.setData(name, bytes("d" + ops.get()), -1);
                case 3 -> zk.delete(name, -1);
                case 4 -> zk.create(root + "/seq/s", bytes("s"), open,
                        random.nextBoolean() ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.EPHEMERAL_SEQUENTIAL);
                case 5 -> zk.create(name + "-e", new byte[random.nextInt(300)], open, CreateMode.EPHEMERAL);
                case 6 -> zk.setACL(name, java.util.Arrays.asList(new ACL(ZooDefs.Perms.ALL, new Id("auth", "")),
                        new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)), -1);
                case 7 -> zk.multi(java.util.Arrays.asList(Op.create(name + "-m", bytes("m"), open, CreateMode.PERSISTENT),
                        Op.setData(name + "-m", bytes("m2"), -1), Op.delete(name + "-m", -1)));
                case 8 -> zk.multi(java.util.Arrays.asList(Op.create(name + "-f", bytes("f"), open, CreateMode.PERSISTENT),
                        Op.check(name + "-f", 7)));
                case 9 -> zk.create(root + "/c" + random.nextInt(5), null, open, CreateMode.CONTAINER);
                default -> zk.create(name + "-ttl", bytes("t"), open, CreateMode.PERSISTENT_WITH_TTL, null,
                        600_000);
            }
        } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException
                 | KeeperException.BadVersionException | KeeperException.NotEmptyException e) {
            // a failed write: ZooKeeper logs an error transaction, which the mirror must follow too
        }
    }

    /** Stops the load and reports whatever broke it. */
    @Override
    public void close() throws Exception {
        stop.set(true);
        thread.join(30_000);
        if (failure != null) {
            throw new AssertionError("the load failed", failure);
        }
    }
}
