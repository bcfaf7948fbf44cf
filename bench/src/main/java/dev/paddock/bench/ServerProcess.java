package dev.paddock.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server in a child JVM. Both kinds get the same heap, GC and logging flags and a zoo.cfg that
 * differs only in the port; the data directory is on the disk the results go to, fsync left at its
 * default (on).
 */
public final class ServerProcess implements AutoCloseable {
    /** Flags shared by both servers: same heap, same collector, logging at warn for both. */
    static List<String> commonJvmFlags(String heap) {
        return List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                // Paddock's jar logs through logback; its logback.xml reads ZooKeeper's console threshold.
                "-Dzookeeper.console.threshold=WARN",
                "-Dzookeeper.admin.enableServer=false",
                "-Dzookeeper.jmx.log4j.disable=true");
    }

    public final ServerKind kind;
    public final Path dir;
    public final Path dataDir;
    public final int port;
    private final Process process;
    /** System.nanoTime() just before the child process was spawned. */
    public final long spawnNanos;

    private ServerProcess(ServerKind kind, Path dir, Path dataDir, int port, Process process, long spawnNanos) {
        this.kind = kind;
        this.dir = dir;
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
        this.spawnNanos = spawnNanos;
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** CPU time the server process has used so far (ns), -1 when /proc cannot tell. */
    public long cpuNanos() {
        return ProcessCpu.nanos(process.pid());
    }

    /** Spawns the server on a free port with its data under {@code dir/data}; does not wait. */
    public static ServerProcess spawn(ServerKind kind, Path dir, Environment env, String heap, List<String> extraJvmFlags)
            throws IOException {
        Files.createDirectories(dir);
        Path dataDir = dir.resolve("data");
        Files.createDirectories(dataDir);
        int port = freePort();
        Path cfg = dir.resolve("zoo.cfg");
        String cfgText = String.join("\n",
                "tickTime=2000",
                "clientPort=" + port,
                "clientPortAddress=127.0.0.1",
                "dataDir=" + dataDir.toAbsolutePath(),
                "maxClientCnxns=0",
                "4lw.commands.whitelist=*",
                "admin.enableServer=false",
                "") ;
        Files.writeString(cfg, cfgText);
        List<String> cmd = new ArrayList<>();
        cmd.add(env.javaBinary());
        cmd.addAll(commonJvmFlags(heap));
        cmd.addAll(extraJvmFlags);
        cmd.add("-cp");
        if (kind == ServerKind.PADDOCK) {
            cmd.add(env.paddockJar().toAbsolutePath().toString());
            cmd.add("dev.paddock.server.Main");
        } else {
            cmd.add(env.zookeeperClasspath());
            cmd.add("org.apache.zookeeper.server.ZooKeeperServerMain");
        }
        cmd.add(cfg.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
        long spawn = System.nanoTime();
        Process p = pb.start();
        return new ServerProcess(kind, dir, dataDir, port, p, spawn);
    }

    /** Spawns and waits until the server answers {@code srvr} as serving. */
    public static ServerProcess start(ServerKind kind, Path dir, Environment env, String heap, List<String> extraJvmFlags)
            throws IOException, InterruptedException {
        ServerProcess s = spawn(kind, dir, env, heap, extraJvmFlags);
        try {
            s.awaitServing(30_000);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    public void awaitServing(long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(kind.label + " exited with " + process.exitValue() + "; see " + dir.resolve("server.log"));
            }
            try {
                last = fourLetterWord("srvr");
                if (last.contains("Mode:")) {
                    return;
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(20);
        }
        throw new IOException(kind.label + " not serving after " + timeoutMs + " ms: " + last);
    }

    public String fourLetterWord(String word) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Live heap after a full collection: {@code jcmd GC.class_histogram} collects before it counts, and its
     * total is the bytes of every live object.
     */
    public long liveHeapBytes(Environment env) throws IOException, InterruptedException {
        // A full collection first: the histogram's own one is skipped when a thread holds the GC locker (JNI
        // critical section), and then it counts garbage too ("pre-dump GC was skipped" in the server log).
        jcmd(env, "GC.run");
        String out = jcmd(env, "GC.class_histogram");
        for (String line : out.split("\n")) {
            String t = line.trim();
            if (t.startsWith("Total")) {
                String[] parts = t.split("\\s+");
                return Long.parseLong(parts[2]);
            }
        }
        throw new IOException("no Total in class histogram: " + out.lines().limit(5).toList());
    }

    private String jcmd(Environment env, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(env.jcmdBinary(), Long.toString(pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
