package dev.paddock.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Fills a server with N znodes of 100-byte data at a realistic depth: /scale/dA/eB/nC, 100 leaves per
 * e-node and up to 100 e-nodes per d-node (1,000,000 leaves make 10,000 e-nodes under 100 d-nodes).
 */
final class ScaleLoader {
    static final String ROOT = "/scale";
    private static final int LEAVES_PER_DIR = 100;
    private static final int DIRS_PER_DIR = 100;

    private ScaleLoader() {
    }

    static String leaf(int i) {
        int e = i / LEAVES_PER_DIR;
        int d = e / DIRS_PER_DIR;
        return ROOT + "/d" + d + "/e" + e + "/n" + i;
    }

    /** Creates the tree through {@code sessions} sessions with up to 2,000 creates in flight. */
    static void populate(String connect, int leaves, int dataBytes, int sessionCount) throws Exception {
        List<ZooKeeper> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < sessionCount; i++) {
                sessions.add(Clients.connect(connect, 30_000));
            }
            Clients.ensure(sessions.get(0), ROOT, new byte[0]);
            int eDirs = (leaves + LEAVES_PER_DIR - 1) / LEAVES_PER_DIR;
            int dDirs = (eDirs + DIRS_PER_DIR - 1) / DIRS_PER_DIR;
            List<String> level = new ArrayList<>();
            for (int d = 0; d < dDirs; d++) {
                level.add(ROOT + "/d" + d);
            }
            createAll(sessions, level, new byte[0]);
            level.clear();
            for (int e = 0; e < eDirs; e++) {
                level.add(ROOT + "/d" + (e / DIRS_PER_DIR) + "/e" + e);
            }
            createAll(sessions, level, new byte[0]);
            byte[] data = new byte[dataBytes];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) ('a' + i % 26);
            }
            final int batch = 100_000;
            for (int from = 0; from < leaves; from += batch) {
                level.clear();
                for (int i = from; i < Math.min(leaves, from + batch); i++) {
                    level.add(leaf(i));
                }
                createAll(sessions, level, data);
            }
        } finally {
            for (ZooKeeper zk : sessions) {
                zk.close();
            }
        }
    }

    private static void createAll(List<ZooKeeper> sessions, List<String> paths, byte[] data) throws Exception {
        Semaphore window = new Semaphore(2000);
        AtomicLong failures = new AtomicLong();
        AtomicLong firstFailure = new AtomicLong();
        int i = 0;
        for (String path : paths) {
            if (!window.tryAcquire(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("create pipeline stalled for 120 s");
            }
            ZooKeeper zk = sessions.get(i++ % sessions.size());
            zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, (rc, p, ctx, name) -> {
                if (rc != 0 && rc != KeeperException.Code.NODEEXISTS.intValue()) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(0, rc);
                }
                window.release();
            }, null);
        }
        if (!window.tryAcquire(2000, 300, TimeUnit.SECONDS)) {
            throw new IllegalStateException("creates not answered within 300 s");
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " creates failed, first with "
                    + KeeperException.Code.get((int) firstFailure.get()));
        }
    }
}
