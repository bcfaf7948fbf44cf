package dev.paddock.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A 3-member ensemble on loopback, each member a JVM of its own so that a test can SIGKILL it: Paddock
 * started the way {@code bin/paddock} starts it ({@code dev.paddock.server.Main zoo.cfg}), or the reference
 * ZooKeeper 3.9.5 ({@code QuorumPeerMain zoo.cfg}, its jars only). Both read the same ordinary zoo.cfg:
 * {@code server.N} lines, {@code myid} in the dataDir. Output goes to {@code server.out} in the member's
 * dataDir.
 */
public final class Ensemble implements AutoCloseable {
    public static final int MEMBERS = 3;

    public enum Kind {
        PADDOCK("Paddock"), ZOOKEEPER("ZooKeeper 3.9.5");

        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;
    private final Path dir;
    private final int[] clientPorts = new int[MEMBERS + 1];
    private final Process[] processes = new Process[MEMBERS + 1];
    private final String zooCfg;

    private Ensemble(Kind kind, Path dir, String zooCfg) {
        this.kind = kind;
        this.dir = dir;
        this.zooCfg = zooCfg;
    }

    /** Starts all members (loopback, free ports); does not wait for a quorum. */
    public static Ensemble start(Kind kind, Path dir) throws IOException {
        int[] client = new int[MEMBERS + 1];
        StringBuilder cfg = new StringBuilder();
        // What an operator's zoo.cfg for a 3-member ensemble holds (ZooKeeper's defaults for the limits).
        cfg.append("tickTime=2000\ninitLimit=10\nsyncLimit=5\n4lw.commands.whitelist=*\nmaxClientCnxns=0\n");
        for (int id = 1; id <= MEMBERS; id++) {
            client[id] = ReferenceZooKeeper.freePort();
            cfg.append("server.").append(id).append("=127.0.0.1:").append(ReferenceZooKeeper.freePort()).append(':')
                    .append(ReferenceZooKeeper.freePort()).append(";127.0.0.1:").append(client[id]).append('\n');
        }
        if (kind == Kind.ZOOKEEPER) {
            // No AdminServer (Jetty is not among the reference jars, and it would want port 8080).
            cfg.append("admin.enableServer=false\n");
        }
        Ensemble e = new Ensemble(kind, dir, cfg.toString());
        System.arraycopy(client, 0, e.clientPorts, 0, client.length);
        for (int id = 1; id <= MEMBERS; id++) {
            e.start(id);
        }
        return e;
    }

    /** Starts member {@code id} (again), with the same zoo.cfg and dataDir. */
    public void start(int id) throws IOException {
        if (isAlive(id)) {
            throw new IllegalStateException("member " + id + " is still running");
        }
        Path data = dir.resolve("member-" + id);
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), Integer.toString(id));
        Path cfg = data.resolve("zoo.cfg");
        Files.writeString(cfg, "dataDir=" + data + "\n" + zooCfg);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms32m");
        command.add("-Xmx192m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        if (kind == Kind.PADDOCK) {
            command.add(System.getProperty("java.class.path"));
            command.add("dev.paddock.server.Main");
        } else {
            Path jars = Path.of(System.getProperty("paddock.referenceZooKeeperDir", "target/reference-zookeeper"));
            command.add(jars.toAbsolutePath() + File.separator + "*");
            command.add("org.apache.zookeeper.server.quorum.QuorumPeerMain");
        }
        command.add(cfg.toString());
        processes[id] = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("server.out").toFile()))
                .start();
    }

    /** SIGKILL of member {@code id}. */
    public void kill(int id) throws InterruptedException {
        processes[id].destroyForcibly();
        if (!processes[id].waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("member " + id + " survived SIGKILL");
        }
    }

    public boolean isAlive(int id) {
        return processes[id] != null && processes[id].isAlive();
    }

    /** All members' client addresses, comma-separated, without chroot. */
    public String connectString() {
        List<String> hosts = new ArrayList<>();
        for (int id = 1; id <= MEMBERS; id++) {
            hosts.add(connectString(id));
        }
        return String.join(",", hosts);
    }

    public String connectString(int id) {
        return "127.0.0.1:" + clientPorts[id];
    }

    /** The {@code Mode:} line of {@code srvr} ("leader", "follower"), or null if the member does not serve. */
    public String mode(int id) {
        if (!isAlive(id)) {
            return null;
        }
        for (String line : fourLetterWord(id, "srvr").split("\n")) {
            if (line.startsWith("Mode: ")) {
                return line.substring("Mode: ".length()).trim();
            }
        }
        return null;
    }

    /** The member that says it leads, or -1. */
    public int leader() {
        for (int id = 1; id <= MEMBERS; id++) {
            if ("leader".equals(mode(id))) {
                return id;
            }
        }
        return -1;
    }

    /** How many members say they are leader or follower. */
    public int serving() {
        int n = 0;
        for (int id = 1; id <= MEMBERS; id++) {
            String m = mode(id);
            if ("leader".equals(m) || "follower".equals(m)) {
                n++;
            }
        }
        return n;
    }

    /** The client addresses that {@code stat} lists for member {@code id}. */
    public List<String> clients(int id) {
        List<String> clients = new ArrayList<>();
        for (String line : fourLetterWord(id, "stat").split("\n")) {
            if (line.startsWith(" /")) {
                clients.add(line.trim().replaceAll("\\[.*", ""));
            }
        }
        return clients;
    }

    private String fourLetterWord(int id, String word) {
        try (Socket s = new Socket("127.0.0.1", clientPorts[id])) {
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

    @Override
    public void close() {
        for (int id = 1; id <= MEMBERS; id++) {
            Process p = processes[id];
            if (p == null || !p.isAlive()) {
                continue;
            }
            p.destroy();
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
