package dev.paddock.server.migration;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;

/**
 * A real ZooKeeper server (3.9.5, the test dependency, unless a class path of another release is given) in a
 * child JVM, started with {@code ZooKeeperServerMain} on a zoo.cfg, so it writes its data directory exactly as
 * a production server does. Also starts client JVMs ({@link EphemeralHolder}) that can be killed, so their
 * sessions expire or outlive the server.
 */
public final class RealZooKeeper implements AutoCloseable {
    private final Process process;
    final Path zooCfg;
    final int clientPort;

    private RealZooKeeper(Process process, Path zooCfg, int clientPort) {
        this.process = process;
        this.zooCfg = zooCfg;
        this.clientPort = clientPort;
    }

    public static String testClassPath() {
        return System.getProperty("java.class.path");
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Writes {@code dir/zoo.cfg} from {@code cfg} and starts ZooKeeper on it.
     *
     * @param systemProperties ZooKeeper's own switches (compression, snapCount, extended types)
     */
    public static RealZooKeeper start(Path dir, Map<String, String> cfg, Map<String, String> systemProperties,
                               String classPath, String mainClass) throws Exception {
        return start(dir, cfg, systemProperties, classPath, mainClass, "-Xmx256m");
    }

    public static RealZooKeeper start(Path dir, Map<String, String> cfg, Map<String, String> systemProperties,
                               String classPath, String mainClass, String heap) throws Exception {
        StringBuilder text = new StringBuilder();
        cfg.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path zooCfg = dir.resolve("zoo.cfg");
        Files.writeString(zooCfg, text.toString());
        List<String> cmd = new ArrayList<>(List.of(java(), heap, "-XX:+UseSerialGC"));
        systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-Dzookeeper.admin.enableServer=false");
        cmd.add("-Dzookeeper.jmx.log4j.disable=true");
        cmd.addAll(List.of("-cp", classPath, mainClass, zooCfg.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("zookeeper.out").toFile())).start();
        int port = Integer.parseInt(cfg.get("clientPort"));
        RealZooKeeper z = new RealZooKeeper(p, zooCfg, port);
        z.awaitServing(dir);
        return z;
    }

    public String connectString() {
        return "127.0.0.1:" + clientPort;
    }

    private void awaitServing(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ZooKeeper exited: " + Files.readString(dir.resolve("zookeeper.out")));
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", clientPort)) {
                // A server still starting may accept and never answer: do not wait on it.
                s.setSoTimeout(2000);
                s.getOutputStream().write("ruok".getBytes());
                if (new String(s.getInputStream().readAllBytes()).equals("imok")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("ZooKeeper did not start: " + Files.readString(dir.resolve("zookeeper.out")));
    }

    /** Stops the server as an operator stopping it to swap binaries might: killed, nothing flushed on the way out. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGKILL without waiting, so that several servers can be stopped at (nearly) the same instant. */
    public void killNow() {
        process.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /** A client in its own JVM holding a session and ephemeral nodes until killed. */
    public static final class Holder implements AutoCloseable {
        private final Process process;
        public final long sessionId;
        final byte[] password;

        private Holder(Process process, long sessionId, byte[] password) {
            this.process = process;
            this.sessionId = sessionId;
            this.password = password;
        }

        public static Holder start(String connect, int timeoutMs, String classPath, String... ephemerals) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx64m", "-XX:+UseSerialGC", "-cp", classPath,
                    EphemeralHolder.class.getName(), connect, Integer.toString(timeoutMs)));
            cmd.addAll(List.of(ephemerals));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("session ")) {
                    String[] parts = line.split(" ");
                    return new Holder(p, Long.parseUnsignedLong(parts[1], 16), HexFormat.of().parseHex(parts[2]));
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("the holder exited before creating its nodes");
        }

        /** SIGKILL: no closeSession, so the session lives on until the server expires it. */
        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    public static ZooKeeper client(String connect, int timeoutMs) throws Exception {
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, timeoutMs, e -> {
            if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException("no connection to " + connect);
        }
        return zk;
    }

    static String pathSeparatorJoin(List<Path> entries) {
        List<String> s = new ArrayList<>();
        entries.forEach(e -> s.add(e.toString()));
        return String.join(File.pathSeparator, s);
    }
}
