package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.EnsembleTracker;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.cli.GetConfigCommand;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.quorum.flexible.QuorumVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /zookeeper/config} of a running ensemble, ZooKeeper 3.9.5 and Paddock side by side: three voters as
 * child JVMs (ZooKeeper's {@code QuorumPeerMain}, Paddock's {@code Main}) with one zoo.cfg shape, plus two
 * listed observers that never start. The shape covers the three ways a server line gives its client address
 * (none, or a static {@code clientPort} for the member's own line; {@code ;port}; {@code ;host:port}) and ids
 * (5 and 20) that ZooKeeper's HashMap lists out of numeric order. Compared with ports masked: the text every member gives to
 * {@code getConfig} (the Java client reads the node with an ordinary getData, opcode 4), its stat, the shell's
 * {@code config}, {@code config -c} and {@code config -s}, what Curator's EnsembleTracker makes of it, and
 * the answers to reconfig (disabled by default) without and with the super user.
 */
class EnsembleConfigNodeTest {
    @TempDir
    Path dir;

    /** The measured text, ports masked (ZooKeeper 3.9.5 gives this on every member). */
    private static final String EXPECTED = """
            server.1=127.0.0.1:Q1:E1:participant
            server.2=127.0.0.1:Q2:E2:participant;0.0.0.0:C2
            server.3=127.0.0.1:Q3:E3:participant;127.0.0.1:C3
            server.20=127.0.0.1:Q20:E20:observer;127.0.0.1:C20
            server.5=127.0.0.1:Q5:E5:observer
            version=0""";

    @Test
    void configNodeMatchesZooKeeper() throws Exception {
        Map<String, String> reference = observe(false);
        Map<String, String> paddock = observe(true);
        assertThat(reference.get("getConfig 1")).isEqualTo(EXPECTED);
        assertThat(paddock).isEqualTo(reference);
    }

    /**
     * With {@code reconfigEnabled=true} ZooKeeper gives its first established config the version of the
     * first NEWLEADER zxid, and carries out a reconfig only for a caller with WRITE on /zookeeper/config (the
     * ACL check comes after the request's own checks); Paddock does the same.
     */
    @Test
    void withReconfigEnabled() throws Exception {
        Map<String, String> reference = reconfigEnabled(false);
        assertThat(reference).containsExactly(
                Map.entry("getConfig", EXPECTED.replace("version=0", "version=100000000")),
                Map.entry("reconfig without ADMIN", "NOAUTH"),
                Map.entry("reconfig as super", "OK"));
        assertThat(reconfigEnabled(true)).isEqualTo(reference);
    }

    private Map<String, String> reconfigEnabled(boolean paddock) throws Exception {
        Map<String, String> seen = new LinkedHashMap<>();
        try (ChildEnsemble e = new ChildEnsemble(dir.resolve(paddock ? "paddock-r" : "zookeeper-r"), paddock,
                true)) {
            e.awaitServing();
            try (ZooKeeperAdmin admin = new ZooKeeperAdmin(e.connectString(1), 10_000, event -> { })) {
                awaitConnected(admin);
                seen.put("getConfig", e.mask(new String(admin.getConfig(false, null), StandardCharsets.UTF_8)));
                seen.put("reconfig without ADMIN", codeOf(() -> admin.reconfigure(null, "20", null, -1, null)));
                admin.addAuthInfo("digest", "super:test".getBytes(StandardCharsets.UTF_8));
                seen.put("reconfig as super", codeOf(() -> admin.reconfigure(null, "20", null, -1, null)));
            }
        }
        return seen;
    }

    private Map<String, String> observe(boolean paddock) throws Exception {
        Map<String, String> seen = new LinkedHashMap<>();
        try (ChildEnsemble e = new ChildEnsemble(dir.resolve(paddock ? "paddock" : "zookeeper"), paddock, false)) {
            e.awaitServing();
            for (int id = 1; id <= 3; id++) {
                try (ZooKeeper zk = connect(e.connectString(id))) {
                    Stat stat = new Stat();
                    seen.put("getConfig " + id, e.mask(new String(zk.getConfig(false, stat), StandardCharsets.UTF_8)));
                    seen.put("stat " + id, "version=" + stat.getVersion() + " aversion=" + stat.getAversion()
                            + " czxid=" + stat.getCzxid() + " mzxid=" + stat.getMzxid() + " ctime=" + stat.getCtime()
                            + " mtime>0=" + (stat.getMtime() > 0) + " dataLength=" + stat.getDataLength());
                    seen.put("shell config " + id, e.mask(shell(zk, "config")));
                    seen.put("shell config -c " + id, e.mask(shell(zk, "config", "-c")));
                    seen.put("shell config -s " + id, e.mask(shell(zk, "config", "-s"))
                            .replaceAll("(?m)^mtime = .+$", "mtime = TIME"));
                    // Watchable: a watch can be set on it (nothing changes it while reconfig is off).
                    zk.getConfig(event -> { }, null);
                }
            }
            try (ZooKeeperAdmin admin = new ZooKeeperAdmin(e.connectString(1), 10_000, event -> { })) {
                awaitConnected(admin);
                seen.put("reconfig without ADMIN", codeOf(() -> admin.reconfigure(null, "3", null, -1, null)));
                admin.addAuthInfo("digest", "super:test".getBytes(StandardCharsets.UTF_8));
                seen.put("reconfig as super", codeOf(() -> admin.reconfigure(null, "3", null, -1, null)));
            }
            try (CuratorFramework curator = CuratorFrameworkFactory.newClient(e.connectString(1), new RetryOneTime(100))) {
                curator.start();
                assertThat(curator.blockUntilConnected(20, TimeUnit.SECONDS)).isTrue();
                seen.put("curator getConfig", e.mask(new String(curator.getConfig().forEnsemble(), StandardCharsets.UTF_8)));
                Field f = curator.getClass().getDeclaredField("ensembleTracker");
                f.setAccessible(true);
                EnsembleTracker tracker = (EnsembleTracker) f.get(curator);
                Await.until("EnsembleTracker has the members", Duration.ofSeconds(20),
                        () -> !tracker.getCurrentConfig().getAllMembers().isEmpty());
                QuorumVerifier qv = tracker.getCurrentConfig();
                seen.put("tracker members", new TreeMap<>(qv.getAllMembers()).keySet() + " voters "
                        + new TreeMap<>(qv.getVotingMembers()).keySet());
                // Its order follows the addresses' hashes, so it differs with the ports: compared sorted.
                seen.put("tracker connect string", new java.util.TreeSet<>(List.of(
                        e.mask(EnsembleTracker.configToConnectionString(qv)).split(","))).toString());
            }
        }
        return seen;
    }

    private static String codeOf(KeeperCall call) throws InterruptedException {
        try {
            call.run();
            return "OK";
        } catch (KeeperException ex) {
            return ex.code().name();
        }
    }

    interface KeeperCall {
        void run() throws KeeperException, InterruptedException;
    }

    private static String shell(ZooKeeper zk, String... args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        GetConfigCommand cmd = new GetConfigCommand();
        cmd.setZk(zk);
        cmd.setOut(out);
        cmd.setErr(out);
        cmd.parse(args).exec();
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static ZooKeeper connect(String connectString) throws Exception {
        ZooKeeper zk = new ZooKeeper(connectString, 10_000, event -> { });
        awaitConnected(zk);
        return zk;
    }

    private static void awaitConnected(ZooKeeper zk) throws InterruptedException {
        Await.until("connected", Duration.ofSeconds(20), () -> zk.getState().isConnected());
    }

    /**
     * Three voters in child JVMs on loopback (the same zoo.cfg lines for both servers), and servers 5 and 20,
     * listed observers that are never started. Super user digest "super:test" for the reconfig checks.
     */
    private static final class ChildEnsemble implements AutoCloseable {
        private static final int[] IDS = {1, 2, 3, 5, 20};
        private final Map<Integer, int[]> ports = new TreeMap<>(); // id -> quorum, election, client
        private final List<Process> processes = new ArrayList<>();

        ChildEnsemble(Path dir, boolean paddock, boolean reconfigEnabled) throws IOException {
            // Distinct ports: a free port picked twice (it was free both times) would collide.
            java.util.Set<Integer> taken = new java.util.HashSet<>();
            for (int id : IDS) {
                int[] p = new int[3];
                for (int i = 0; i < 3; i++) {
                    do {
                        p[i] = freePort();
                    } while (!taken.add(p[i]));
                }
                ports.put(id, p);
            }
            StringBuilder lines = new StringBuilder();
            for (int id : IDS) {
                int[] p = ports.get(id);
                lines.append("server.").append(id).append("=127.0.0.1:").append(p[0]).append(':').append(p[1]);
                switch (id) {
                    case 1 -> { } // the static clientPort below
                    case 2 -> lines.append(";").append(p[2]);
                    case 5 -> lines.append(":observer");
                    case 20 -> lines.append(":observer;127.0.0.1:").append(p[2]);
                    default -> lines.append(";127.0.0.1:").append(p[2]);
                }
                lines.append('\n');
            }
            for (int id = 1; id <= 3; id++) {
                Path data = dir.resolve("member-" + id);
                Files.createDirectories(data);
                Files.writeString(data.resolve("myid"), Integer.toString(id));
                String cfg = "dataDir=" + data + "\ntickTime=200\ninitLimit=50\nsyncLimit=25\n"
                        + "4lw.commands.whitelist=*\nadmin.enableServer=false\n"
                        + (reconfigEnabled ? "reconfigEnabled=true\n" : "")
                        + (id == 1 ? "clientPort=" + ports.get(1)[2] + "\nclientPortAddress=127.0.0.1\n" : "")
                        + lines;
                Path cfgFile = data.resolve("zoo.cfg");
                Files.writeString(cfgFile, cfg);
                List<String> command = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                        "-XX:+UseSerialGC",
                        // super:test
                        "-Dzookeeper.DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=",
                        "-cp", System.getProperty("java.class.path"),
                        paddock ? "dev.paddock.server.Main" : "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                        cfgFile.toString()));
                processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(data.resolve("server.out").toFile()).start());
            }
        }

        String connectString(int id) {
            return "127.0.0.1:" + ports.get(id)[2];
        }

        void awaitServing() {
            Await.until("three members serving", Duration.ofSeconds(60), () -> {
                for (int id = 1; id <= 3; id++) {
                    String srvr = fourLetterWord(ports.get(id)[2], "srvr");
                    if (!srvr.contains("Mode: leader") && !srvr.contains("Mode: follower")) {
                        return false;
                    }
                }
                return true;
            });
        }

        /** Replaces every port of this ensemble by its name (Q1, E1, C1, ...). */
        String mask(String s) {
            String masked = s;
            for (Map.Entry<Integer, int[]> e : ports.entrySet()) {
                String[] names = {"Q", "E", "C"};
                for (int i = 0; i < 3; i++) {
                    masked = masked.replaceAll(":" + e.getValue()[i] + "(?![0-9])", ":" + names[i] + e.getKey());
                }
            }
            return masked;
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

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }

        @Override
        public void close() throws InterruptedException {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
                }
            }
        }
    }
}
