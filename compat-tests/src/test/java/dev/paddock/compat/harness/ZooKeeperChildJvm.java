package dev.paddock.compat.harness;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A standalone ZooKeeper 3.9.5 ({@code ZooKeeperServerMain}) in a child JVM of its own, on a free loopback
 * port, with the given system properties: for the settings ZooKeeper reads once per JVM (static
 * initializers), which {@link ReferenceZooKeeper} in this JVM cannot vary from test to test. Every
 * four-letter word is allowed and the AdminServer is off. Its output goes to {@code zookeeper.log} in the
 * given directory. Callers that use it set a JUnit {@code @Timeout} of their own.
 */
public final class ZooKeeperChildJvm implements AutoCloseable {
    /** How long the child JVM may take to start serving. */
    private static final Duration START = Duration.ofSeconds(30);

    private final Process process;
    private final int clientPort;

    private ZooKeeperChildJvm(Process process, int clientPort) {
        this.process = process;
        this.clientPort = clientPort;
    }

    /** Starts it with data under {@code dir} and returns once it serves ({@code srvr} shows its mode). */
    public static ZooKeeperChildJvm start(Path dir, Map<String, String> systemProperties) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dzookeeper.4lw.commands.whitelist=*",
                "-Dzookeeper.admin.enableServer=false"));
        // Sorted, so the command line is the same from run to run.
        new TreeMap<>(systemProperties).forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("org.apache.zookeeper.server.ZooKeeperServerMain", String.valueOf(port),
                Files.createDirectories(dir.resolve("data")).toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("zookeeper.log").toFile()).start();
        ZooKeeperChildJvm zk = new ZooKeeperChildJvm(process, port);
        try {
            // ruok answers as soon as the port is open; srvr only once the server serves.
            Await.until("ZooKeeper serves (see " + dir.resolve("zookeeper.log") + ")", START,
                    () -> FourLetterWords.send(port, "srvr").contains("Mode:"));
        } catch (RuntimeException | Error e) {
            zk.close();
            throw e;
        }
        return zk;
    }

    public int clientPort() {
        return clientPort;
    }

    /** Stops the child JVM, forcibly when it has not exited within 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
