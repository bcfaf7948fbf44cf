package dev.paddock.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.Stat;

/**
 * Scale-out under load, Paddock against ZooKeeper 3.9.5 in the same run (issue 11's measurement): three members
 * as child JVMs, a writer of 100-byte setData with {@link #THREADS} synchronous clients, then two joiners started
 * and added with one incremental reconfig. Reports the time the reconfig takes to commit (the admin call's
 * latency), and the write throughput and p99 in the second before it, the two seconds from it on, and the second
 * after, for each server, and the ratios Paddock/ZooKeeper (medians over interleaved rounds).
 *
 * <pre>java -cp bench.jar:lib/* dev.paddock.bench.ReconfigBench --paddock-jar JAR --lib DIR --results DIR [--rounds N]</pre>
 */
public final class ReconfigBench {
    private static final int THREADS = 8;
    private static final String SUPER_DIGEST = "super:D/InIHSb7yEEbrWz8b9l71RjZJU="; // super:test

    /** One write: when it ended (ns) and how long it took. */
    private record Sample(long endNanos, long latencyNanos) {
    }

    /** One round's figures for one server. */
    record Figures(double reconfigMs, double tputBefore, double tputDuring, double tputAfter, double p99DuringMs,
                   double p99BeforeMs) {
    }

    private ReconfigBench() {
    }

    public static void main(String[] args) throws Exception {
        Path paddockJar = null;
        Path lib = null;
        Path results = Path.of("bench/results");
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--paddock-jar" -> paddockJar = Path.of(args[++i]);
                case "--lib" -> lib = Path.of(args[++i]);
                case "--results" -> results = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        Path work = Files.createTempDirectory("paddock-reconfig-bench");
        Environment env = new Environment(paddockJar, lib, results, work);
        List<Figures> paddock = new ArrayList<>();
        List<Figures> zookeeper = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            // Interleaved, alternating which server goes first.
            ServerKind first = round % 2 == 1 ? ServerKind.PADDOCK : ServerKind.ZOOKEEPER;
            for (ServerKind kind : List.of(first, first == ServerKind.PADDOCK ? ServerKind.ZOOKEEPER : ServerKind.PADDOCK)) {
                Figures f = round(kind, env, work.resolve(kind.name().toLowerCase(Locale.ROOT) + "-" + round));
                System.out.println(kind.label + " round " + round + ": " + f);
                (kind == ServerKind.PADDOCK ? paddock : zookeeper).add(f);
            }
        }
        String report = report(paddock, zookeeper, rounds);
        System.out.println(report);
        Files.createDirectories(results);
        Files.writeString(results.resolve(Instant.now().toString().replace(':', '-') + "-reconfig.md"), report);
    }

    private static Figures round(ServerKind kind, Environment env, Path dir) throws Exception {
        int[][] ports = new int[6][];
        for (int id = 1; id <= 5; id++) {
            ports[id] = new int[] {ServerProcess.freePort(), ServerProcess.freePort(), ServerProcess.freePort()};
        }
        List<Process> processes = new ArrayList<>();
        try {
            for (int id = 1; id <= 3; id++) {
                processes.add(start(kind, env, dir, id, ports, 3));
            }
            for (int id = 1; id <= 3; id++) {
                awaitMode(ports[id][2], "leader|follower");
            }
            String connect = "127.0.0.1:" + ports[1][2] + ",127.0.0.1:" + ports[2][2] + ",127.0.0.1:" + ports[3][2];
            ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = startWriters(connect, samples, stop);
            for (int id = 4; id <= 5; id++) {
                processes.add(start(kind, env, dir, id, ports, id));
            }
            awaitMode(ports[4][2], "follower");
            awaitMode(ports[5][2], "follower");
            Thread.sleep(3_000);
            long reconfigStart;
            long reconfigEnd;
            try (ZooKeeperAdmin admin = new ZooKeeperAdmin(connect, 30_000, e -> { })) {
                awaitConnected(admin);
                admin.addAuthInfo("digest", "super:test".getBytes(StandardCharsets.UTF_8));
                String joining = line(4, ports) + "," + line(5, ports);
                reconfigStart = System.nanoTime();
                admin.reconfigure(joining, null, null, -1, new Stat());
                reconfigEnd = System.nanoTime();
            }
            Thread.sleep(3_000);
            stop.set(true);
            for (Thread t : writers) {
                t.join(30_000);
            }
            long s = TimeUnit.SECONDS.toNanos(1);
            return new Figures((reconfigEnd - reconfigStart) / 1e6,
                    throughput(samples, reconfigStart - s, reconfigStart),
                    throughput(samples, reconfigStart, reconfigStart + 2 * s) ,
                    throughput(samples, reconfigStart + 2 * s, reconfigStart + 3 * s),
                    p99Ms(samples, reconfigStart, reconfigStart + 2 * s),
                    p99Ms(samples, reconfigStart - s, reconfigStart));
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static String line(int id, int[][] ports) {
        return "server." + id + "=127.0.0.1:" + ports[id][0] + ":" + ports[id][1] + ":participant;127.0.0.1:"
                + ports[id][2];
    }

    /** Member {@code id} with the server lines of members 1..{@code upTo} (a joiner: the members and itself). */
    private static Process start(ServerKind kind, Environment env, Path dir, int id, int[][] ports, int upTo)
            throws IOException {
        Path data = dir.resolve("m" + id);
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), Integer.toString(id));
        StringBuilder cfg = new StringBuilder("tickTime=500\ninitLimit=20\nsyncLimit=10\ndataDir=" + data.toAbsolutePath()
                + "\nreconfigEnabled=true\nstandaloneEnabled=false\n4lw.commands.whitelist=*\nadmin.enableServer=false\n");
        for (int other = 1; other <= upTo; other++) {
            if (other <= 3 || other == id) {
                cfg.append(line(other, ports)).append('\n');
            }
        }
        Path file = data.resolve("zoo.cfg");
        Files.writeString(file, cfg.toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(env.javaBinary());
        cmd.addAll(ServerProcess.commonJvmFlags("512m"));
        cmd.add("-Dzookeeper.DigestAuthenticationProvider.superDigest=" + SUPER_DIGEST);
        cmd.add("-cp");
        if (kind == ServerKind.PADDOCK) {
            cmd.add(env.paddockJar().toAbsolutePath().toString());
            cmd.add("dev.paddock.server.Main");
        } else {
            cmd.add(env.zookeeperClasspath());
            cmd.add("org.apache.zookeeper.server.quorum.QuorumPeerMain");
        }
        cmd.add(file.toAbsolutePath().toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("server.log").toFile())).start();
    }

    private static List<Thread> startWriters(String connect, ConcurrentLinkedQueue<Sample> samples, AtomicBoolean stop)
            throws Exception {
        List<Thread> threads = new ArrayList<>();
        byte[] payload = new byte[100];
        for (int t = 0; t < THREADS; t++) {
            ZooKeeper zk = new ZooKeeper(connect, 30_000, e -> { });
            awaitConnected(zk);
            String path = "/w" + t;
            try {
                zk.create(path, payload, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                // another round
            }
            Thread thread = new Thread(() -> {
                // Bounded: stops when told, or after ten minutes of writing whatever happens.
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (!stop.get() && System.nanoTime() < deadline) {
                    long start = System.nanoTime();
                    try {
                        zk.setData(path, payload, -1);
                        long end = System.nanoTime();
                        samples.add(new Sample(end, end - start));
                    } catch (KeeperException e) {
                        sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                try {
                    zk.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "writer-" + t);
            thread.start();
            threads.add(thread);
        }
        return threads;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double throughput(ConcurrentLinkedQueue<Sample> samples, long from, long to) {
        long n = samples.stream().filter(s -> s.endNanos() >= from && s.endNanos() < to).count();
        return n / ((to - from) / 1e9);
    }

    private static double p99Ms(ConcurrentLinkedQueue<Sample> samples, long from, long to) {
        long[] lat = samples.stream().filter(s -> s.endNanos() >= from && s.endNanos() < to)
                .mapToLong(Sample::latencyNanos).sorted().toArray();
        if (lat.length == 0) {
            return Double.NaN;
        }
        return lat[Math.min(lat.length - 1, (int) Math.ceil(lat.length * 0.99) - 1)] / 1e6;
    }

    private static void awaitConnected(ZooKeeper zk) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!zk.getState().isConnected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no session");
            }
            Thread.sleep(20);
        }
    }

    private static void awaitMode(int port, String modes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            String srvr = fourLetterWord(port, "srvr");
            if (srvr.matches("(?s).*Mode: (" + modes + ")\\n.*")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("port " + port + " not in mode " + modes + ": " + srvr);
            }
            Thread.sleep(100);
        }
    }

    private static String fourLetterWord(int port, String word) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static double median(List<Figures> fs, java.util.function.ToDoubleFunction<Figures> f) {
        double[] v = fs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static String report(List<Figures> paddock, List<Figures> zookeeper, int rounds) {
        StringBuilder sb = new StringBuilder("# Scale-out 3 -> 5 under write load (reconfig -add of two joiners)\n\n"
                + THREADS + " synchronous writers of 100-byte setData, " + rounds + " interleaved rounds, medians;"
                + " ratio = Paddock / ZooKeeper (throughput: higher is better; latency: lower is better).\n\n"
                + "| figure | Paddock | ZooKeeper 3.9.5 | ratio |\n| --- | --- | --- | --- |\n");
        row(sb, "reconfig commit (ms)", median(paddock, Figures::reconfigMs), median(zookeeper, Figures::reconfigMs));
        row(sb, "writes/s, second before", median(paddock, Figures::tputBefore), median(zookeeper, Figures::tputBefore));
        row(sb, "writes/s, two seconds from the reconfig", median(paddock, Figures::tputDuring),
                median(zookeeper, Figures::tputDuring));
        row(sb, "writes/s, third second", median(paddock, Figures::tputAfter), median(zookeeper, Figures::tputAfter));
        row(sb, "p99 ms, second before", median(paddock, Figures::p99BeforeMs), median(zookeeper, Figures::p99BeforeMs));
        row(sb, "p99 ms, two seconds from the reconfig", median(paddock, Figures::p99DuringMs),
                median(zookeeper, Figures::p99DuringMs));
        sb.append("\nRounds: Paddock ").append(Arrays.toString(paddock.toArray())).append("\nZooKeeper ")
                .append(Arrays.toString(zookeeper.toArray())).append('\n');
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, double p, double z) {
        sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", name, p, z, p / z));
    }
}
