package dev.paddock.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Warms a freshly started server's JIT on every operation the measurements use, so that neither server is
 * measured while it is still compiling its request path (each section starts a fresh JVM).
 */
final class Warmup {
    private Warmup() {
    }

    static void run(String connect, int threads, int durationMs) throws Exception {
        if (durationMs <= 0) {
            return;
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        ZooKeeper setup = Clients.connect(connect, 30_000);
        try {
            Clients.ensure(setup, "/warmup", new byte[0]);
        } finally {
            setup.close();
        }
        for (int t = 0; t < threads; t++) {
            final int id = t;
            Thread th = new Thread(() -> {
                try {
                    ZooKeeper zk = Clients.connect(connect, 30_000);
                    try {
                        byte[] data = new byte[100];
                        String node = "/warmup/t" + id;
                        Clients.ensure(zk, node, data);
                        List<Op> multi = List.of(Op.check(node, -1), Op.setData(node, data, -1),
                                Op.setData(node, data, -1));
                        Stat stat = new Stat();
                        while (System.nanoTime() < end) {
                            String created = zk.create(node + "/n-", data, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                                    CreateMode.PERSISTENT_SEQUENTIAL);
                            zk.getData(created, false, stat);
                            zk.exists(created, false);
                            zk.getChildren(node, false, stat);
                            zk.setData(created, data, -1);
                            zk.multi(multi);
                            CountDownLatch fired = new CountDownLatch(1);
                            zk.exists(created, e -> fired.countDown());
                            zk.delete(created, -1);
                            fired.await(10, TimeUnit.SECONDS);
                        }
                    } finally {
                        zk.close();
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "warmup-" + t);
            th.start();
            workers.add(th);
        }
        for (Thread th : workers) {
            th.join(durationMs + 60_000L);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
