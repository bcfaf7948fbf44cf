package dev.paddock.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import dev.paddock.server.FourLetterWordProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members as real processes on loopback (child JVMs started like bin/paddock starts them), under SIGKILL of
 * the leader and SIGSTOP of a follower, with several clients doing conditional writes and reads. The
 * history is checked: acknowledged conditional writes form one version chain that respects real time
 * (linearizable), and each session reads its own writes and never goes back.
 */
class ProcessEnsembleTest {
    private static final int MEMBERS = 3;

    @TempDir
    Path dir;

    private final int[] clientPorts = new int[MEMBERS + 1];
    private final Process[] processes = new Process[MEMBERS + 1];
    private final List<ZooKeeper> clients = Collections.synchronizedList(new ArrayList<>());
    private String serverLines;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Process start(int id) throws IOException {
        Path data = dir.resolve("s" + id);
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), Integer.toString(id));
        Path cfg = data.resolve("zoo.cfg");
        Files.writeString(cfg, "tickTime=200\ninitLimit=10\nsyncLimit=5\ndataDir=" + data + "\n"
                + "4lw.commands.whitelist=*\nsnapCount=200\nadmin.enableServer=false\n" + serverLines);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.paddock.server.Main", cfg.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(data.resolve("server.out").toFile());
        processes[id] = pb.start();
        return processes[id];
    }

    @AfterEach
    void stop() throws Exception {
        for (ZooKeeper zk : clients) {
            zk.close(1000);
        }
        for (Process p : processes) {
            if (p != null) {
                signal(p, "CONT");
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void signal(Process p, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }

    private static String fourLetterWord(int port, String word) {
        return FourLetterWordProbe.send(port, word);
    }

    private static void await(String what, long timeoutMs, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            LockSupport.parkNanos(50_000_000);
        }
    }

    private int leader() {
        for (int id = 1; id <= MEMBERS; id++) {
            if (processes[id] != null && processes[id].isAlive()
                    && fourLetterWord(clientPorts[id], "srvr").contains("Mode: leader")) {
                return id;
            }
        }
        return -1;
    }

    private int servingCount() {
        int n = 0;
        for (int id = 1; id <= MEMBERS; id++) {
            String srvr = fourLetterWord(clientPorts[id], "srvr");
            if (srvr.contains("Mode: leader") || srvr.contains("Mode: follower")) {
                n++;
            }
        }
        return n;
    }

    private ZooKeeper connect(String connectString) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 4_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        clients.add(zk);
        assertThat(connected.await(30, TimeUnit.SECONDS)).as("connected").isTrue();
        return zk;
    }

    /** One operation of the history: a conditional write or a read of the register /reg. */
    record Op(int client, boolean write, long startNs, long endNs, int version, boolean acknowledged) {
    }

    @Test
    void leaderKillAndStoppedFollowerKeepAConsistentHistory() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int id = 1; id <= MEMBERS; id++) {
            clientPorts[id] = freePort();
            lines.append("server.").append(id).append("=127.0.0.1:").append(freePort()).append(':').append(freePort())
                    .append(";127.0.0.1:").append(clientPorts[id]).append('\n');
        }
        serverLines = lines.toString();
        for (int id = 1; id <= MEMBERS; id++) {
            start(id);
        }
        await("all members serving", 60_000, () -> servingCount() == MEMBERS);
        String all = "127.0.0.1:" + clientPorts[1] + ",127.0.0.1:" + clientPorts[2] + ",127.0.0.1:" + clientPorts[3];
        ZooKeeper admin = connect(all);
        admin.create("/reg", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        List<Op> history = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int clientId = c;
            ZooKeeper zk = connect(all);
            Thread t = new Thread(() -> work(clientId, zk, history, running), "client-" + c);
            workers.add(t);
            t.start();
        }
        LockSupport.parkNanos(1_500_000_000L);

        // SIGKILL the leader under load.
        int leader = leader();
        assertThat(leader).isPositive();
        processes[leader].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        await("a new leader after the kill", 60_000, () -> {
            int l = leader();
            return l > 0 && l != leader;
        });
        LockSupport.parkNanos(1_500_000_000L);

        // The killed member restarts and catches up; then a follower is stopped (a minority cut off).
        start(leader);
        await("the killed member rejoins", 60_000, () -> servingCount() == MEMBERS);
        int newLeader = leader();
        int follower = newLeader % MEMBERS + 1;
        signal(processes[follower], "STOP");
        LockSupport.parkNanos(3_000_000_000L);
        signal(processes[follower], "CONT");
        await("the stopped member serves again", 60_000, () -> servingCount() == MEMBERS);
        LockSupport.parkNanos(1_000_000_000L);

        running.set(false);
        for (Thread t : workers) {
            t.join(30_000);
        }
        Stat finalStat = retry(() -> {
            // sync first: the admin session may sit on a member that is a moment behind.
            CountDownLatch synced = new CountDownLatch(1);
            admin.sync("/reg", (rc, path, ctx) -> synced.countDown(), null);
            assertThat(synced.await(10, TimeUnit.SECONDS)).isTrue();
            Stat s = new Stat();
            admin.getData("/reg", false, s);
            return s;
        });
        check(history, finalStat.getVersion());
    }

    private static <T> T retry(Call<T> call) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return call.run();
            } catch (KeeperException.ConnectionLossException e) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                LockSupport.parkNanos(100_000_000);
            }
        }
    }

    interface Call<T> {
        T run() throws Exception;
    }

    /** Reads the register and tries to move it one version on; records every outcome, known or not. */
    private static void work(int client, ZooKeeper zk, List<Op> history, AtomicBoolean running) {
        int lastSeen = -1;
        while (running.get()) {
            long start = System.nanoTime();
            try {
                Stat stat = new Stat();
                zk.getData("/reg", false, stat);
                history.add(new Op(client, false, start, System.nanoTime(), stat.getVersion(), true));
                lastSeen = stat.getVersion();
                long writeStart = System.nanoTime();
                try {
                    Stat after = zk.setData("/reg", Integer.toString(client).getBytes(), lastSeen);
                    history.add(new Op(client, true, writeStart, System.nanoTime(), after.getVersion(), true));
                } catch (KeeperException.BadVersionException e) {
                    // Another client won this version: a legal outcome.
                } catch (KeeperException.ConnectionLossException e) {
                    // Unknown outcome: it may or may not have been applied.
                    history.add(new Op(client, true, writeStart, Long.MAX_VALUE, lastSeen + 1, false));
                }
            } catch (KeeperException e) {
                LockSupport.parkNanos(50_000_000);
            } catch (InterruptedException e) {
                return;
            }
            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                LockSupport.parkNanos(5_000_000);
            }
        }
    }

    private static void check(List<Op> history, int finalVersion) {
        List<Op> acked = history.stream().filter(o -> o.write() && o.acknowledged()).toList();
        assertThat(acked).as("the load made progress").hasSizeGreaterThan(20);
        // Each version is reached by at most one acknowledged write, and none beyond the final version.
        assertThat(acked.stream().map(Op::version).distinct().count()).isEqualTo(acked.size());
        assertThat(acked.stream().mapToInt(Op::version).max().orElse(0)).isLessThanOrEqualTo(finalVersion);
        // Real-time order: a write that finished before another started has the smaller version.
        for (Op a : acked) {
            for (Op b : acked) {
                if (a.endNs() < b.startNs()) {
                    assertThat(a.version()).as("write order respects real time").isLessThan(b.version());
                }
            }
        }
        // Per session: reads never go back and always see the session's own acknowledged writes.
        for (int c = 0; c < 4; c++) {
            int client = c;
            int floor = -1;
            for (Op o : history.stream().filter(o -> o.client() == client && o.acknowledged()).toList()) {
                assertThat(o.version()).as("client %d never goes back", client).isGreaterThanOrEqualTo(floor);
                floor = o.version();
            }
        }
    }
}
