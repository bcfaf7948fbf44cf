package dev.paddock.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker in a JVM of its own, started the way an operator starts one ({@code kafka.Kafka
 * server.properties}), so that a test can SIGKILL it. Its output goes to {@code broker-<id>.out} beside
 * its server.properties.
 */
final class ChildBroker implements AutoCloseable {
    private final int brokerId;
    private final Path dir;
    private final Path propertiesFile;
    private final List<String> jvmOptions;
    private Process process;

    private ChildBroker(int brokerId, Path dir, Path propertiesFile, List<String> jvmOptions) {
        this.brokerId = brokerId;
        this.dir = dir;
        this.propertiesFile = propertiesFile;
        this.jvmOptions = jvmOptions;
    }

    static ChildBroker start(int brokerId, Properties config, Path dir) throws IOException {
        return start(brokerId, config, dir, List.of());
    }

    static ChildBroker start(int brokerId, Properties config, Path dir, List<String> jvmOptions) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            config.store(out, "broker " + brokerId);
        }
        ChildBroker broker = new ChildBroker(brokerId, dir, file, List.copyOf(jvmOptions));
        broker.launch();
        return broker;
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small and quick to warm up: three of these share two cores with the test.
        command.add("-Xms64m");
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.awt.headless=true");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("kafka.Kafka");
        command.add(propertiesFile.toString());
        Path out = dir.resolve("broker-" + brokerId + ".out");
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .start();
    }

    int brokerId() {
        return brokerId;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no controlled shutdown, the ZooKeeper session is left to expire. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("broker " + brokerId + " survived SIGKILL");
        }
    }

    /** Starts the broker again with the same server.properties and log directory. */
    void restart() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException("broker " + brokerId + " is still running");
        }
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
