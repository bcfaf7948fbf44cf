package dev.paddock.dubbo;

import dev.paddock.it.ReferenceZooKeeper;
import dev.paddock.it.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ProviderMain} in a JVM of its own, with its own {@code user.home} (Dubbo's ~/.dubbo caches),
 * in the test's network namespace (children inherit it). Output goes to {@code provider.out} in its
 * directory.
 */
final class ChildProvider implements AutoCloseable {
    private final String mainClass;
    private final List<String> arguments;
    private final Path dir;
    private final String id;
    private final int port;
    private Process process;
    /** How many times the JVM was launched: each run prints one READY line to the same file. */
    private int launches = 1;

    private ChildProvider(String mainClass, List<String> arguments, Path dir, String id, int port) {
        this.mainClass = mainClass;
        this.arguments = arguments;
        this.dir = dir;
        this.id = id;
        this.port = port;
    }

    /** Starts the provider; does not wait for it (see {@link #awaitReady}). */
    static ChildProvider start(String connectString, String application, String id, String registerMode,
                               String version, Path dir) throws IOException {
        Files.createDirectories(dir.resolve("home"));
        int port = ReferenceZooKeeper.freePort();
        ChildProvider p = new ChildProvider(ProviderMain.class.getName(),
                List.of(connectString, application, id, Integer.toString(port), registerMode, version), dir, id, port);
        p.launch();
        return p;
    }

    /** Starts a {@link ScaleProviderMain} exporting {@code services} services. */
    static ChildProvider startScale(String connectString, String application, String id, int services, Path dir)
            throws IOException {
        Files.createDirectories(dir.resolve("home"));
        int port = ReferenceZooKeeper.freePort();
        ChildProvider p = new ChildProvider(ScaleProviderMain.class.getName(),
                List.of(connectString, application, id, Integer.toString(port), Integer.toString(services)), dir, id, port);
        p.launch();
        return p;
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small and quick to warm up: several of these share two cores with the test.
        command.add("-Xms32m");
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Duser.home=" + dir.resolve("home"));
        command.add("-Ddubbo.service.shutdown.wait=" + System.getProperty("dubbo.service.shutdown.wait", "1000"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(arguments);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("provider.out").toFile()))
                .start();
    }

    /** Waits until this run of the provider has printed READY (it has exported and registered). */
    void awaitReady(Duration timeout) {
        Wait.until("provider " + id + " READY (see " + dir.resolve("provider.out") + ")", timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("provider " + id + " exited with " + process.exitValue());
            }
            return readyLines() >= launches;
        });
    }

    private long readyLines() {
        try {
            Path out = dir.resolve("provider.out");
            return Files.exists(out) ? Files.readAllLines(out).stream().filter(l -> l.startsWith("READY ")).count() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last READY line of this provider's output. */
    String readyLine() throws IOException {
        List<String> ready = Files.readAllLines(dir.resolve("provider.out")).stream()
                .filter(l -> l.startsWith("READY ")).toList();
        return ready.isEmpty() ? null : ready.get(ready.size() - 1);
    }

    /** SIGTERM: Dubbo's shutdown hook unregisters the provider before it stops. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("provider " + id + " did not stop on SIGTERM");
        }
    }

    String id() {
        return id;
    }

    int port() {
        return port;
    }

    /** SIGKILL: no unregistration, the session is left to expire. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("provider " + id + " survived SIGKILL");
        }
    }

    /** Starts the provider again: same id, same port, same home. */
    void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("provider " + id + " is still running");
        }
        launches++;
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
