package dev.paddock.bench;

import java.io.Closeable;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * One embedded test server in a fresh JVM (run by {@link EmbeddedBench}): starts it as a test suite would
 * ({@code new TestingServer()}: free port, temporary directory), connects the ZooKeeper client and reads
 * "/", then prints one {@code RESULT} line: milliseconds from the constructor to that first read, from the
 * JVM's start to it, the process's CPU milliseconds until then, and after two full GCs the heap in use, the
 * process's resident set and its threads.
 * The client is the same for both kinds, so the differences are the servers'.
 */
public final class EmbeddedProbe {
    private EmbeddedProbe() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        long begin = System.nanoTime();
        Closeable server;
        String connect;
        if (kind.equals("paddock")) {
            dev.paddock.testing.TestingServer s = new dev.paddock.testing.TestingServer();
            server = s;
            connect = s.getConnectString();
        } else if (kind.equals("curator")) {
            org.apache.curator.test.TestingServer s = new org.apache.curator.test.TestingServer();
            server = s;
            connect = s.getConnectString();
        } else {
            throw new IllegalArgumentException("paddock or curator, not " + kind);
        }
        try (ZooKeeper zk = connect(connect)) {
            zk.getData("/", false, null);
            long startMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            long sinceJvmMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            // CPU time, less disturbed than wall time by other processes on a shared machine.
            long cpuMs = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() / 1_000_000;
            System.gc();
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("RESULT %s %d %d %d %d %d %d%n", kind, startMs, sinceJvmMs, cpuMs, heap, rssBytes(),
                    ManagementFactory.getThreadMXBean().getThreadCount());
        } finally {
            server.close();
        }
        System.exit(0);
    }

    private static ZooKeeper connect(String connect) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no session with " + connect);
        }
        return zk;
    }

    /** VmRSS from /proc (Linux); -1 elsewhere. */
    private static long rssBytes() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
