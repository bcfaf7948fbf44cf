package dev.paddock.compat.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Ensemble members as child JVMs, Paddock's {@code Main} or ZooKeeper 3.9.5's {@code QuorumPeerMain}, started one
 * by one from a zoo.cfg written here with the same lines for both servers, so membership procedures (reconfig,
 * observers, rolling restarts) run the same way against each. Every member listens on loopback ports picked
 * here; the super user is {@code super:test}.
 */
public final class MemberProcesses implements AutoCloseable {
    /** Digest of super:test. */
    public static final String SUPER_DIGEST = "super:D/InIHSb7yEEbrWz8b9l71RjZJU=";

    private final Path dir;
    private final boolean paddock;
    private final Map<Integer, int[]> ports = new TreeMap<>(); // id -> quorum, election, client
    private final Map<Integer, Process> running = new TreeMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private int starts;

    public MemberProcesses(Path dir, boolean paddock, int maxId) throws IOException {
        this.dir = dir;
        this.paddock = paddock;
        // Distinct ports: the system may hand a port just closed out again.
        Set<Integer> used = new HashSet<>();
        for (int id = 1; id <= maxId; id++) {
            int[] p = new int[3];
            for (int i = 0; i < 3; i++) {
                do {
                    p[i] = freePort();
                } while (!used.add(p[i]));
            }
            ports.put(id, p);
        }
    }

    /**
     * A system property every member started from now on gets ({@code -Dkey=value}): for the settings ZooKeeper
     * reads once per JVM (zookeeper.enforceQuota, zookeeper.skipACL), which a server in the test JVM cannot change.
     */
    public MemberProcesses systemProperty(String key, String value) {
        jvmOptions.add("-D" + key + "=" + value);
        return this;
    }

    public boolean paddock() {
        return paddock;
    }

    /**
     * Adds JVM options (system properties such as {@code -Dreadonlymode.enabled=true}, which ZooKeeper reads only
     * from the JVM) to every member started from now on.
     */
    public MemberProcesses jvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /** Member {@code id}'s client port. */
    public int clientPort(int id) {
        return ports.get(id)[2];
    }

    /** The server line of member {@code id}: {@code server.N=127.0.0.1:q:e:role;127.0.0.1:client}. */
    public String line(int id, String role) {
        int[] p = ports.get(id);
        return "server." + id + "=127.0.0.1:" + p[0] + ":" + p[1] + ":" + role + ";127.0.0.1:" + p[2];
    }

    /** Server lines for the ids, every one a participant. */
    public List<String> voters(int... ids) {
        List<String> lines = new ArrayList<>();
        for (int id : ids) {
            lines.add(line(id, "participant"));
        }
        return lines;
    }

    public Path cfgOf(int id) {
        return dir.resolve("member-" + id).resolve("zoo.cfg");
    }

    /** Writes member {@code id}'s myid and zoo.cfg with these server lines (and reconfigEnabled), then starts it. */
    public void start(int id, List<String> serverLines) throws IOException {
        List<String> lines = new ArrayList<>(List.of("reconfigEnabled=true"));
        lines.addAll(serverLines);
        writeConfig(id, lines);
        restart(id);
    }

    /**
     * Writes member {@code id}'s myid and a zoo.cfg of the common settings followed by {@code lines} as given
     * (server lines, {@code peerType}, ...; without reconfigEnabled the configuration is static), then starts it.
     */
    public void startStatic(int id, List<String> lines) throws IOException {
        writeConfig(id, lines);
        restart(id);
    }

    /** Writes member {@code id}'s myid and its zoo.cfg: the common settings, then {@code lines} as given. */
    public void writeConfig(int id, List<String> lines) throws IOException {
        Path data = dir.resolve("member-" + id);
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), Integer.toString(id));
        StringBuilder cfg = new StringBuilder("dataDir=" + data + "\ntickTime=200\ninitLimit=25\nsyncLimit=10\n"
                + "4lw.commands.whitelist=*\nadmin.enableServer=false\nstandaloneEnabled=false\n");
        for (String line : lines) {
            cfg.append(line).append('\n');
        }
        Files.writeString(cfgOf(id), cfg.toString());
    }

    /** Starts member {@code id} from the zoo.cfg it has now (which a reconfig may have rewritten). */
    public void restart(int id) throws IOException {
        Path data = dir.resolve("member-" + id);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx160m", "-XX:+UseSerialGC",
                "-Dzookeeper.DigestAuthenticationProvider.superDigest=" + SUPER_DIGEST,
                // each start's log of its own, beside the member's data, instead of the file all test JVMs share
                "-Dorg.slf4j.simpleLogger.logFile=" + data.resolve("server-" + (++starts) + ".log")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                paddock ? "dev.paddock.server.Main" : "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                cfgOf(id).toString()));
        running.put(id, new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("server.out").toFile())).start());
    }

    /** Stops member {@code id} as an operator does (SIGTERM), and waits for it. */
    public void stop(int id) throws InterruptedException {
        Process p = running.remove(id);
        if (p != null) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    public String connectString(int... ids) {
        StringJoiner s = new StringJoiner(",");
        for (int id : ids) {
            s.add("127.0.0.1:" + ports.get(id)[2]);
        }
        return s.toString();
    }

    /** The four-letter word's answer from member {@code id}, or "" when it does not answer. */
    public String fourLetterWordOf(int id, String word) {
        return fourLetterWord(ports.get(id)[2], word);
    }

    /** The last zxid member {@code id}'s srvr shows, or -1 when it does not answer. */
    public long zxid(int id) {
        String srvr = fourLetterWordOf(id, "srvr");
        int at = srvr.indexOf("Zxid: 0x");
        return at < 0 ? -1 : Long.parseLong(srvr.substring(at + 8, srvr.indexOf('\n', at)).strip(), 16);
    }

    public boolean running(int id) {
        return running.containsKey(id);
    }

    public String mode(int id) {
        String srvr = fourLetterWord(ports.get(id)[2], "srvr");
        int at = srvr.indexOf("Mode: ");
        return at < 0 ? "" : srvr.substring(at + 6, srvr.indexOf('\n', at));
    }

    /** Waits until member {@code id}'s srvr shows a mode matching {@code modes} (a regular expression). */
    public void awaitMode(int id, String modes) {
        Await.until("member " + id + " in mode " + modes, Duration.ofSeconds(60), () -> mode(id).matches(modes));
    }

    /** The leader among the ids, waiting for one. */
    public int leader(int... ids) {
        return Await.value("a leader among the members", Duration.ofSeconds(60), () -> {
            for (int id : ids) {
                if (mode(id).equals("leader")) {
                    return id;
                }
            }
            return -1;
        }, id -> id > 0);
    }

    /** Replaces every port by its name (Q1, E1, C1, ...) and the config version by V. */
    public String mask(String s) {
        String masked = s.replaceAll("version=[0-9a-f]+", "version=V");
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
        for (Process p : running.values()) {
            p.destroy();
        }
        for (Process p : running.values()) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        }
        running.clear();
    }
}
