package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.storage.LogFormat;
import dev.paddock.server.storage.Recovery;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server in a child JVM under a concurrent write load is killed with SIGKILL at random moments. After
 * every kill: each acknowledged write is on disk, no multi is half there, the tree recovered from snapshot
 * plus log equals a replay of the whole log from the start, and the restarted server serves it all.
 * {@code -Dpaddock.crashRounds=N} (the {@code crash-soak} profile: 300) sets the number of rounds.
 */
class CrashRecoveryTest {
    private static final int ROUNDS = Integer.getInteger("paddock.crashRounds", 3);
    private static final int CLIENTS = 4;
    private static final int IN_FLIGHT = 16;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private Process current;

    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        long seed = Long.getLong("paddock.crashSeed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("CrashRecoveryTest seed " + seed + ", " + ROUNDS + " rounds");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = dir.resolve("data");
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n", "tickTime=500", "dataDir=" + data, "clientPort=" + port,
                "clientPortAddress=127.0.0.1", "snapCount=400", "preAllocSize=64", "4lw.commands.whitelist=*",
                "maxSessionTimeout=20000", "admin.enableServer=false", ""));
        List<ZooKeeper> previous = List.of();
        for (int round = 0; round < ROUNDS; round++) {
            Process server = startServer(cfg, round);
            current = server;
            try {
                awaitServing(port, server);
                for (ZooKeeper zk : previous) {
                    zk.close(); // they reconnected with their sessions; close them through the log
                }
                List<ZooKeeper> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    clients.add(connect(port));
                }
                if (round == 0) {
                    clients.get(0).create("/w", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                } else {
                    verifyLive(clients.get(0));
                }
                int target = 20 + random.nextInt(round % 5 == 4 ? 3000 : 600);
                runLoadThenKill(clients, round, target, server);
                previous = clients;
            } finally {
                server.destroyForcibly();
                server.waitFor(30, TimeUnit.SECONDS);
            }
            verifyOnDisk(data.resolve(LogFormat.SUBDIR));
        }
        Process server = startServer(cfg, ROUNDS);
        try {
            awaitServing(port, server);
            ZooKeeper zk = connect(port);
            verifyLive(zk);
            zk.close();
            for (ZooKeeper old : previous) {
                old.close();
            }
        } finally {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(acked).isNotEmpty();
    }

    private String classPath;

    /**
     * The test's class path with its directories copied, so a concurrent build of the shared working tree
     * cannot swap class files under the child JVM.
     */
    private String classPath() throws IOException {
        if (classPath == null) {
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (Files.isDirectory(p)) {
                    Path copy = dir.resolve("cp-" + n++);
                    try (var files = Files.walk(p)) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            Path target = copy.resolve(p.relativize(f).toString());
                            if (Files.isDirectory(f)) {
                                Files.createDirectories(target);
                            } else {
                                Files.copy(f, target);
                            }
                        }
                    }
                    entries.add(copy.toString());
                } else {
                    entries.add(entry);
                }
            }
            classPath = String.join(File.pathSeparator, entries);
        }
        return classPath;
    }

    private Process startServer(Path cfg, int round) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath(), "dev.paddock.server.Main", cfg.toString());
        File log = dir.resolve("server-" + round + ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        return pb.start();
    }

    private static void awaitServing(int port, Process server) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            assertThat(server.isAlive()).as("server process alive").isTrue();
            try {
                if (DurableServerTest.fourLetterWord(port, "ruok").equals("imok")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("server serving in time").isLessThan(deadline);
            LockSupport.parkNanos(20_000_000);
        }
    }

    private void dumpThreads() throws Exception {
        if (current != null && current.isAlive()) {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, Long.toString(current.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("threads.txt").toFile()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private ZooKeeper connect(int port) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 20_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(20, TimeUnit.SECONDS)) {
            dumpThreads();
            throw new AssertionError("client did not connect; server threads in " + dir);
        }
        return zk;
    }

    /** Each client keeps IN_FLIGHT multis going; the server is killed once {@code target} are acknowledged. */
    private void runLoadThenKill(List<ZooKeeper> clients, int round, int target, Process server) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ackedThisRound = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            ZooKeeper zk = clients.get(c);
            String prefix = "r" + round + "c" + c + "-";
            Thread t = new Thread(() -> {
                Semaphore slots = new Semaphore(IN_FLIGHT);
                int i = 0;
                while (!stop.get()) {
                    try {
                        if (!slots.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    String name = prefix + i++;
                    attempted.add(name);
                    zk.multi(List.of(
                            Op.create("/w/" + name + "-a", name.getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                                    CreateMode.PERSISTENT),
                            Op.setData("/w", name.getBytes(), -1),
                            Op.create("/w/" + name + "-b", new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                                    CreateMode.PERSISTENT)), (rc, path, ctx, results) -> {
                                if (rc == KeeperException.Code.OK.intValue()) {
                                    acked.add(name);
                                    ackedThisRound.incrementAndGet();
                                }
                                slots.release();
                            }, null);
                }
            }, "load-" + c);
            threads.add(t);
            t.start();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (ackedThisRound.get() < target && System.nanoTime() < deadline && server.isAlive()) {
            LockSupport.parkNanos(1_000_000);
        }
        server.destroyForcibly(); // SIGKILL
        server.waitFor(30, TimeUnit.SECONDS);
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertThat(ackedThisRound.get()).as("acknowledged writes this round").isPositive();
    }

    /** Reads the data directory as start-up will, and from the whole log alone; checks both. */
    private void verifyOnDisk(Path paddockDir) throws Exception {
        Recovery.Result recovered = Recovery.recover(paddockDir, paddockDir, false, true);
        Recovery.Result fullReplay = Recovery.recover(dir.resolve("no-snapshots"), paddockDir, false, false);
        StateMachine sm = recovered.stateMachine();
        assertThat(fullReplay.lastZxid()).isEqualTo(recovered.lastZxid());
        assertThat(TreeDigest.of(sm)).isEqualTo(TreeDigest.of(fullReplay.stateMachine()));
        Set<String> present = new HashSet<>();
        for (String name : attempted) {
            boolean a = sm.tree().exists("/w/" + name + "-a");
            boolean b = sm.tree().exists("/w/" + name + "-b");
            assertThat(b).as("multi %s applied whole or not at all", name).isEqualTo(a);
            if (a) {
                present.add(name);
            }
        }
        assertThat(present).as("acknowledged writes on disk").containsAll(acked);
        dev.paddock.wire.proto.Stat w = sm.tree().stat("/w");
        assertThat(w.version()).as("one setData per applied multi").isEqualTo(present.size());
        assertThat(w.numChildren()).isEqualTo(2 * present.size());
    }

    private void verifyLive(ZooKeeper zk) throws Exception {
        Set<String> children = new HashSet<>(zk.getChildren("/w", false));
        for (String name : acked) {
            assertThat(children).contains(name + "-a", name + "-b");
        }
        Stat w = zk.exists("/w", false);
        assertThat(w.getVersion() * 2).isEqualTo(children.size());
    }
}
