package dev.paddock.kafka;

import dev.paddock.it.ReferenceZooKeeper;
import dev.paddock.server.migration.ZkLastZxid;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The processes of the README's cut-over, each a child JVM: three ZooKeeper 3.9.5 voters ({@code QuorumPeerMain}
 * on the reference jars of {@code paddock.referenceZooKeeperDir}, not the 3.8.4 client Kafka pins on this
 * module's class path), three Paddock mirrors (the server, {@code dev.paddock.server.Main}, on an observer's
 * zoo.cfg with {@code quorumProtocol=zookeeper}), and the same three as a Paddock ensemble after the cut-over
 * (same myid, dataDir and client port). The server module's {@code CutOverTest} drives the same procedure with
 * ZooKeeper clients; this one serves Kafka brokers.
 */
final class CutOverMembers implements AutoCloseable {
    static final int VOTERS = 3;
    static final int FIRST_MIRROR = VOTERS + 1;
    static final int MIRRORS = 3;
    /** Room for the brokers' long sessions (ZooKeeper's default maximum is 20 ticks). */
    static final int MAX_SESSION_MS = 60_000;

    private final Path dir;
    private final Map<Integer, Integer> clientPorts = new TreeMap<>();
    private final Map<Integer, String> serverLines = new TreeMap<>();
    private final Map<Integer, Process> voters = new TreeMap<>();
    private final Map<Integer, Process> paddock = new TreeMap<>();

    private CutOverMembers(Path dir) {
        this.dir = dir;
    }

    /** Reserves the ports of every server and starts the voters (not waiting for their quorum). */
    static CutOverMembers startVoters(Path dir) throws IOException, InterruptedException {
        CutOverMembers m = new CutOverMembers(dir);
        for (int id = 1; id < FIRST_MIRROR + MIRRORS; id++) {
            m.clientPorts.put(id, ReferenceZooKeeper.freePort());
            m.serverLines.put(id, "127.0.0.1:" + ReferenceZooKeeper.freePort() + ":" + ReferenceZooKeeper.freePort()
                    + (id >= FIRST_MIRROR ? ":observer" : ""));
        }
        try {
            for (int id = 1; id <= VOTERS; id++) {
                Map<String, String> cfg = m.baseConfig(id);
                Path jars = Path.of(System.getProperty("paddock.referenceZooKeeperDir", "target/reference-zookeeper"));
                m.voters.put(id, m.launch(id, cfg, "voter", jars.toAbsolutePath() + File.separator + "*",
                        "org.apache.zookeeper.server.quorum.QuorumPeerMain"));
            }
        } catch (IOException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** Starts the mirrors: the Paddock server on each observer line, following the voters. */
    void startMirrors() throws IOException {
        for (int id = FIRST_MIRROR; id < FIRST_MIRROR + MIRRORS; id++) {
            Map<String, String> cfg = baseConfig(id);
            cfg.put("peerType", "observer");
            cfg.put("quorumProtocol", "zookeeper");
            paddock.put(id, launch(id, cfg, "mirror", paddockClassPath(), "dev.paddock.server.Main"));
        }
    }

    /** The keys every server's zoo.cfg has, with the server lines of the ZooKeeper ensemble and its observers. */
    private Map<String, String> baseConfig(int id) {
        Map<String, String> cfg = commonConfig(id);
        serverLines.forEach((n, line) -> cfg.put("server." + n, line));
        return cfg;
    }

    private Map<String, String> commonConfig(int id) {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "1000");
        cfg.put("initLimit", "10");
        cfg.put("syncLimit", "5");
        cfg.put("dataDir", dataDir(id).toString());
        cfg.put("clientPort", Integer.toString(clientPorts.get(id)));
        cfg.put("maxSessionTimeout", Integer.toString(MAX_SESSION_MS));
        cfg.put("4lw.commands.whitelist", "*");
        // No AdminServer (Jetty is not among the reference jars, and it would want port 8080).
        cfg.put("admin.enableServer", "false");
        return cfg;
    }

    Path dataDir(int id) {
        return dir.resolve("server-" + id).resolve("data");
    }

    /** Writes {@code <name>.cfg} and myid, starts the JVM; its output goes to {@code <name>.out} beside them. */
    private Process launch(int id, Map<String, String> cfg, String name, String classPath, String main)
            throws IOException {
        Path home = dataDir(id).getParent();
        Files.createDirectories(dataDir(id));
        Files.writeString(dataDir(id).resolve("myid"), Integer.toString(id));
        StringBuilder text = new StringBuilder();
        cfg.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path file = home.resolve(name + ".cfg");
        Files.writeString(file, text.toString());
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms32m",
                "-Xmx192m", "-XX:+UseSerialGC", "-cp", classPath, main, file.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve(name + ".out").toFile())).start();
    }

    /**
     * This JVM's class path: the Paddock server (which needs no ZooKeeper jar) for the mirrors and members.
     * The 3.8.4 ZooKeeper client on it is never loaded by {@code dev.paddock.server.Main}.
     */
    private static String paddockClassPath() {
        return System.getProperty("java.class.path");
    }

    String votersConnectString() {
        return connectString(1, VOTERS);
    }

    String paddockConnectString() {
        return connectString(FIRST_MIRROR, FIRST_MIRROR + MIRRORS - 1);
    }

    private String connectString(int from, int to) {
        List<String> hosts = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            hosts.add("127.0.0.1:" + clientPorts.get(id));
        }
        return String.join(",", hosts);
    }

    /** Step 1: SIGKILL to every voter at nearly the same instant, then waits for each to be gone. */
    void killVoters() throws InterruptedException {
        voters.values().forEach(Process::destroyForcibly);
        for (Process p : voters.values()) {
            p.waitFor(30, TimeUnit.SECONDS);
        }
        voters.clear();
    }

    /** Step 2: SIGTERM to every mirror (it saves its state as a ZooKeeper snapshot); their saved zxids. */
    Map<Integer, Long> stopMirrors() throws InterruptedException, IOException {
        paddock.values().forEach(p -> p.toHandle().destroy());
        Map<Integer, Long> saved = new TreeMap<>();
        for (Map.Entry<Integer, Process> e : paddock.entrySet()) {
            if (!e.getValue().waitFor(60, TimeUnit.SECONDS)) {
                e.getValue().destroyForcibly();
                throw new IllegalStateException("mirror " + e.getKey() + " did not stop within 60 s");
            }
            saved.put(e.getKey(), savedZxid(e.getKey()));
        }
        paddock.clear();
        return saved;
    }

    private long savedZxid(int id) throws IOException {
        long saved = -1;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dataDir(id).resolve("version-2"), "snapshot.*")) {
            for (Path f : files) {
                saved = Math.max(saved, Long.parseUnsignedLong(f.getFileName().toString().substring(9), 16));
            }
        }
        if (saved < 0) {
            throw new IllegalStateException("mirror " + id + " exited without saving");
        }
        // What bin/paddock lastzxid reads must be what the mirror saved.
        long read = ZkLastZxid.of(dataDir(id), dataDir(id)).zxid();
        if (read != saved) {
            throw new AssertionError("lastzxid reads 0x" + Long.toHexString(read) + ", the snapshot is 0x"
                    + Long.toHexString(saved));
        }
        return saved;
    }

    /**
     * The README's check and levelling: the most advanced mirror must hold the quorum-th largest of the voters'
     * last logged zxids (else the voter with the largest becomes the source, the README's second remedy); every
     * member behind the source gets a copy of its ZooKeeper files. Returns what was found and done.
     */
    String checkAndLevel(Map<Integer, Long> saved) throws IOException {
        List<Long> logged = new ArrayList<>();
        int highestVoter = 1;
        for (int id = 1; id <= VOTERS; id++) {
            logged.add(ZkLastZxid.of(dataDir(id), dataDir(id)).zxid());
            if (logged.get(id - 1) > logged.get(highestVoter - 1)) {
                highestVoter = id;
            }
        }
        List<Long> sorted = new ArrayList<>(logged);
        sorted.sort(Collections.reverseOrder());
        int best = saved.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Path source = dataDir(best).resolve("version-2");
        long sourceZxid = saved.get(best);
        String outcome = "voters logged " + hex(logged) + ", mirrors saved " + hex(new ArrayList<>(saved.values()));
        if (sourceZxid < sorted.get(VOTERS / 2)) {
            source = dataDir(highestVoter).resolve("version-2");
            sourceZxid = logged.get(highestVoter - 1);
            outcome += ", check failed: the members take voter " + highestVoter + "'s files";
        } else {
            outcome += ", check passed";
        }
        for (Map.Entry<Integer, Long> m : saved.entrySet()) {
            Path target = dataDir(m.getKey()).resolve("version-2");
            if (m.getValue() < sourceZxid && !target.equals(source)) {
                replaceWithCopy(source, target);
                outcome += "; member " + m.getKey() + " levelled";
            }
        }
        return outcome;
    }

    private static void replaceWithCopy(Path source, Path target) throws IOException {
        try (Stream<Path> old = Files.list(target)) {
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
    }

    private static String hex(List<Long> zxids) {
        List<String> out = new ArrayList<>();
        zxids.forEach(z -> out.add("0x" + Long.toHexString(z)));
        return out.toString();
    }

    /** Step 3: the mirrors restart as the participants of a Paddock ensemble, no ZooKeeper voter listed. */
    void startPaddockEnsemble() throws IOException {
        for (int id = FIRST_MIRROR; id < FIRST_MIRROR + MIRRORS; id++) {
            Map<String, String> cfg = commonConfig(id);
            for (int m = FIRST_MIRROR; m < FIRST_MIRROR + MIRRORS; m++) {
                String line = serverLines.get(m);
                cfg.put("server." + m, line.substring(0, line.length() - ":observer".length()));
            }
            paddock.put(id, launch(id, cfg, "paddock", paddockClassPath(), "dev.paddock.server.Main"));
        }
    }

    /** The {@code Mode:} of server {@code id}'s {@code srvr}, or "" while it does not answer. */
    String mode(int id) {
        return srvrLine(id, "Mode: ");
    }

    /** The zxid server {@code id}'s {@code srvr} shows, -1 while it does not answer. */
    long zxid(int id) {
        String z = srvrLine(id, "Zxid: 0x");
        return z.isEmpty() ? -1 : Long.parseUnsignedLong(z, 16);
    }

    private String srvrLine(int id, String prefix) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", clientPorts.get(id)), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).strip();
                }
            }
        } catch (IOException e) {
            // not serving now
        }
        return "";
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : Stream.concat(voters.values().stream(), paddock.values().stream()).toList()) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        voters.clear();
        paddock.clear();
    }
}
