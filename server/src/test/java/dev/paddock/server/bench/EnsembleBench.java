package dev.paddock.server.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import dev.paddock.server.FourLetterWordProbe;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * Not a test (not run by the build): a three- (or five-) member Paddock ensemble against a ZooKeeper 3.9.5
 * ensemble of the same size, in the same run, members as child JVMs with the same heap flags, fsync on,
 * data on the same disk. Eight sessions spread over the members, each with W requests in flight, 100-byte
 * setData (writes) or getData (reads); throughput and p50/p99 latency per point, servers interleaved
 * A B A B. Run from the server module like StorageBench:
 * {@code java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) dev.paddock.server.bench.EnsembleBench
 * [workDir] [members] [seconds per point]}.
 */
public final class EnsembleBench {
    private static final String[] HEAP = {"-Xms512m", "-Xmx512m", "-XX:+UseG1GC"};
    private static final int SESSIONS = 8;

    private EnsembleBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "/tmp/ensemble-bench");
        int members = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int[] inFlights = {1, 16, 128};
        System.out.printf(Locale.ROOT, "# %d-member ensembles, %d sessions, %d s per point, %d cores%n", members,
                SESSIONS, seconds, Runtime.getRuntime().availableProcessors());
        System.out.println("| server | op | in flight per session | ops/s | p50 ms | p99 ms |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (int round = 0; round < 2; round++) {
            for (String kind : List.of("paddock", "zookeeper")) {
                Ensemble e = Ensemble.start(kind, work.resolve(kind + round), members);
                try {
                    for (boolean write : new boolean[] {true, false}) {
                        for (int w : inFlights) {
                            double[] r = load(e.connectString(), write, w, seconds);
                            System.out.printf(Locale.ROOT, "| %s | %s | %d | %.0f | %.2f | %.2f |%n", kind,
                                    write ? "setData" : "getData", w, r[0], r[1], r[2]);
                        }
                    }
                } finally {
                    e.close();
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Members as child JVMs, configured by zoo.cfg and myid as an operator would. */
    private record Ensemble(List<Process> processes, int[] clientPorts) implements AutoCloseable {
        static Ensemble start(String kind, Path dir, int members) throws Exception {
            StringBuilder lines = new StringBuilder();
            int[] ports = new int[members];
            for (int i = 0; i < members; i++) {
                ports[i] = freePort();
                lines.append("server.").append(i + 1).append("=127.0.0.1:").append(freePort()).append(':')
                        .append(freePort()).append('\n');
            }
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                Path data = dir.resolve("m" + (i + 1));
                Files.createDirectories(data);
                Files.writeString(data.resolve("myid"), Integer.toString(i + 1));
                Path cfg = data.resolve("zoo.cfg");
                Files.writeString(cfg, "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=" + data + "\nclientPort="
                        + ports[i] + "\nclientPortAddress=127.0.0.1\n4lw.commands.whitelist=*\nadmin.enableServer=false\n"
                        + "maxClientCnxns=0\nforceSync=yes\n" + lines);
                List<String> cmd = new ArrayList<>();
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.addAll(Arrays.asList(HEAP));
                cmd.add("-Dzookeeper.admin.enableServer=false");
                cmd.add("-cp");
                cmd.add(System.getProperty("java.class.path"));
                cmd.add(kind.equals("paddock") ? "dev.paddock.server.Main"
                        : "org.apache.zookeeper.server.quorum.QuorumPeerMain");
                cmd.add(cfg.toString());
                File log = data.resolve("server.log").toFile();
                processes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start());
            }
            Ensemble e = new Ensemble(processes, ports);
            e.awaitQuorum();
            return e;
        }

        String connectString() {
            StringBuilder sb = new StringBuilder();
            for (int p : clientPorts) {
                sb.append(sb.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
            }
            return sb.toString();
        }

        void awaitQuorum() {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                int serving = 0;
                for (int p : clientPorts) {
                    String srvr = fourLetterWord(p, "srvr");
                    if (srvr.contains("Mode: leader") || srvr.contains("Mode: follower")) {
                        serving++;
                    }
                }
                if (serving == clientPorts.length) {
                    return;
                }
                LockSupport.parkNanos(100_000_000);
            }
            throw new IllegalStateException("ensemble did not form");
        }

        @Override
        public void close() throws Exception {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                p.waitFor(20, TimeUnit.SECONDS);
                p.destroyForcibly();
            }
        }
    }

    private static String fourLetterWord(int port, String word) {
        return FourLetterWordProbe.send(port, word);
    }

    private static ZooKeeper connect(String hosts) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(hosts, 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("cannot connect to " + hosts);
        }
        return zk;
    }

    /** Returns {ops/s, p50 ms, p99 ms} over {@code seconds} after a warm-up of the same length. */
    private static double[] load(String hosts, boolean write, int inFlight, int seconds) throws Exception {
        String[] members = hosts.split(",");
        List<ZooKeeper> zks = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            zks.add(connect(members[i % members.length]));
        }
        try {
            return OutstandingLoad.run(zks, "/b", write, inFlight, Math.max(2, seconds), seconds);
        } finally {
            for (ZooKeeper zk : zks) {
                zk.close();
            }
        }
    }
}
