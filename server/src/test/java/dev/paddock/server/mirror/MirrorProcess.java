package dev.paddock.server.mirror;

import dev.paddock.server.migration.RealZooKeeper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MirrorProcessMain} child JVM: writes its zoo.cfg and myid, starts it, and follows the zxid it
 * reports. {@link #stop} sends SIGTERM (the mirror saves its state) and returns the zxid it saved.
 */
final class MirrorProcess implements AutoCloseable {
    private final Process process;
    private volatile long zxid = -1;
    private volatile long saved = -1;
    private final Thread reader;

    private final Path out;

    private MirrorProcess(Process process, Path out) {
        this.process = process;
        this.out = out;
        this.reader = new Thread(this::read, "mirror-process-out");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a mirror in {@code home} (zoo.cfg, data/myid, mirror.log) on the given configuration keys. */
    static MirrorProcess start(Path home, long myId, Map<String, String> cfg) throws IOException {
        Path data = Path.of(cfg.get("dataDir"));
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), Long.toString(myId));
        StringBuilder text = new StringBuilder();
        cfg.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path zooCfg = home.resolve("mirror.cfg");
        Files.writeString(zooCfg, text.toString());
        Process p = new ProcessBuilder(List.of(RealZooKeeper.java(), "-Xmx256m", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=logback-child-timed.xml", "-cp",
                RealZooKeeper.testClassPath(), MirrorProcessMain.class.getName(), zooCfg.toString()))
                .redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("mirror.log").toFile())).start();
        return new MirrorProcess(p, home.resolve("mirror.out"));
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII));
             java.io.Writer copy = Files.newBufferedWriter(out, StandardCharsets.US_ASCII)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                copy.write(line + "\n");
                if (line.startsWith("zxid ")) {
                    zxid = Long.parseUnsignedLong(line.substring(5), 16);
                } else if (line.startsWith("saved ")) {
                    saved = Long.parseUnsignedLong(line.substring(6), 16);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The last zxid the mirror reported applied, -1 before the first report. */
    long zxid() {
        return zxid;
    }

    /** SIGTERM, then waits for the mirror to save and exit; returns the zxid it saved. */
    long stop() throws InterruptedException {
        signalStop();
        return awaitSaved();
    }

    /**
     * SIGTERM through the handle: Process.destroy() would also close our end of the child's stdout, and with
     * it the "saved" line.
     */
    void signalStop() {
        process.toHandle().destroy();
    }

    /** Waits for the mirror stopped by {@link #signalStop} to save and exit; returns the zxid it saved. */
    long awaitSaved() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the mirror did not stop within 60 s");
        }
        reader.join(10_000);
        if (saved < 0) {
            throw new IllegalStateException("the mirror exited (status " + process.exitValue() + ") without saving");
        }
        return saved;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
