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
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import dev.paddock.server.FourLetterWordProbe;
import dev.paddock.server.history.History;
import dev.paddock.server.history.HistoryChecker;
import dev.paddock.server.history.HistoryMutations;
import dev.paddock.server.history.Operation;
import dev.paddock.server.history.Outcome;
import dev.paddock.server.history.RecordedOp;
import dev.paddock.server.history.RecordingClient;
import dev.paddock.server.history.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members as real processes on loopback (child JVMs started like bin/paddock starts them), under SIGKILL of
 * the leader and SIGSTOP of a follower, with several clients doing conditional and blind writes, reads after
 * sync and plain reads on three registers, and creating and deleting a fourth node. The recorded history is checked by {@link HistoryChecker}: writes
 * and synced reads are linearizable (outcomes lost with a connection may have happened or not), and each
 * session's plain reads never go back behind what it saw or wrote.
 */
class ProcessEnsembleTest {
    private static final int MEMBERS = 3;
    private static final List<String> KEYS = List.of("/reg0", "/reg1", "/reg2");
    /** A node the clients create and delete (conditionally), so the history has both. */
    private static final String LIFE = "/life";
    /** The process id of the session that creates the registers and reads them at the end. */
    private static final int ADMIN = 100;

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
        History history = new History();
        RecordingClient admin = new RecordingClient(connect(all), history, ADMIN);
        for (String key : KEYS) {
            assertThat(admin.create(key, "")).extracting(Outcome::code).isEqualTo(Outcome.Code.OK);
        }

        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            RecordingClient client = new RecordingClient(connect(all), history, c);
            Thread t = new Thread(() -> work(client, running), "client-" + c);
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
        // Each key read once more after a sync: every acknowledged write must be in what it shows.
        for (String key : List.of(KEYS.get(0), KEYS.get(1), KEYS.get(2), LIFE)) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (admin.syncedRead(key) == null) {
                assertThat(System.nanoTime()).as("a final read of %s", key).isLessThan(deadline);
                LockSupport.parkNanos(100_000_000);
            }
        }
        check(history);
    }

    /**
     * Reads a register (after a sync one time in three) and tries to move it one version on with a
     * conditional setData, now and then a blind one; every outcome is recorded, known or not. Data are unique
     * per write, so a read names the write it saw.
     */
    private static void work(RecordingClient client, AtomicBoolean running) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int n = 0;
        try {
            while (running.get()) {
                String key = KEYS.get(random.nextInt(KEYS.size()));
                String data = Thread.currentThread().getName() + "-" + (++n);
                if (random.nextInt(20) == 0) {
                    if (client.write(key, data) == null) {
                        LockSupport.parkNanos(50_000_000);
                    }
                    continue;
                }
                if (random.nextInt(10) == 0) {
                    createOrDelete(client, data, random.nextBoolean());
                    continue;
                }
                Outcome seen = random.nextInt(3) == 0 ? client.syncedRead(key) : client.read(key);
                if (seen == null || !seen.showsVersion()) {
                    LockSupport.parkNanos(50_000_000);
                    continue;
                }
                if (client.cas(key, seen.version(), data) == null) {
                    LockSupport.parkNanos(50_000_000);
                }
                if (random.nextInt(4) == 0) {
                    LockSupport.parkNanos(5_000_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates {@link #LIFE} when it looked absent, else deletes the version it saw. */
    private static void createOrDelete(RecordingClient client, String data, boolean synced)
            throws InterruptedException {
        Outcome seen = synced ? client.syncedRead(LIFE) : client.read(LIFE);
        if (seen == null) {
            LockSupport.parkNanos(50_000_000);
        } else if (seen.code() == Outcome.Code.NO_NODE) {
            client.create(LIFE, data);
        } else if (seen.showsVersion()) {
            client.delete(LIFE, seen.version());
        }
    }

    private static void check(History history) {
        List<RecordedOp> ops = history.ops();
        long acked = ops.stream().filter(o -> o.op().kind() == Operation.Kind.SET && o.known()
                && o.outcome().code() == Outcome.Code.OK).count();
        long synced = ops.stream().filter(o -> o.op().kind() == Operation.Kind.SYNCED_READ && o.known()).count();
        long unknown = ops.stream().filter(RecordedOp::uncertain).count();
        long lives = ops.stream().filter(o -> o.op().kind() == Operation.Kind.CREATE && o.known()
                && o.outcome().code() == Outcome.Code.OK).count();
        assertThat(acked).as("the load made progress").isGreaterThan(20);
        assertThat(synced).as("reads after sync were made").isGreaterThan(10);
        assertThat(lives).as("the node was created (and deleted) again and again").isGreaterThan(3);
        Verdict verdict = new HistoryChecker().check(ops);
        System.out.printf("ProcessEnsembleTest history: %d ops, %d acknowledged writes, %d synced reads,"
                + " %d creates, %d unknown, %d search steps%n", ops.size(), acked, synced, lives, unknown,
                verdict.steps());
        verdict.assertOk();
        // The same history with one stale synced read planted in it must fail, or the check proved nothing.
        HistoryMutations.Mutation stale = HistoryMutations.staleSyncedRead(ops).orElseThrow();
        assertThat(new HistoryChecker().check(stale.ops()).linearizable()).as("planted %s", stale.changed())
                .isFalse();
    }
}
