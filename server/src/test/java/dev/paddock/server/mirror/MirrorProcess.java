package dev.paddock.server.mirror;

import dev.paddock.server.migration.RealZooKeeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Paddock server in mirror mode ({@code dev.paddock.server.Main} on an observer's zoo.cfg with
 * {@code quorumProtocol=zookeeper}) in a child JVM, serving clients on its client port. Its zxid is read with
 * {@code srvr}; {@link #stop} sends SIGTERM (the server saves the mirror's state as a ZooKeeper snapshot in
 * {@code <dataDir>/version-2} as it shuts down) and returns the zxid of the snapshot it left there.
 */
final class MirrorProcess implements AutoCloseable {
    private final Process process;
    private final int clientPort;
    private final Path saveDir;

    private MirrorProcess(Process process, int clientPort, Path saveDir) {
        this.process = process;
        this.clientPort = clientPort;
        this.saveDir = saveDir;
    }

    /** Starts a mirror in {@code home} (mirror.cfg, data/myid, mirror.log) on the given configuration keys. */
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
                RealZooKeeper.testClassPath(), "dev.paddock.server.Main", zooCfg.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("mirror.log").toFile())).start();
        return new MirrorProcess(p, Integer.parseInt(cfg.get("clientPort")), data.resolve("version-2"));
    }

    /** The zxid the mirror's {@code srvr} shows, -1 while it does not answer. */
    long zxid() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", clientPort), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            for (String line : answer.split("\n")) {
                if (line.startsWith("Zxid: 0x")) {
                    return Long.parseUnsignedLong(line.substring("Zxid: 0x".length()).strip(), 16);
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** SIGTERM, then waits for the mirror to save and exit; returns the zxid it saved. */
    long stop() throws InterruptedException, IOException {
        signalStop();
        return awaitSaved();
    }

    /** SIGTERM: the server's shutdown hook closes it, which saves the mirror's state. */
    void signalStop() {
        process.toHandle().destroy();
    }

    /** Waits for the mirror stopped by {@link #signalStop} to exit; returns the zxid of the snapshot it left. */
    long awaitSaved() throws InterruptedException, IOException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the mirror did not stop within 60 s");
        }
        long saved = -1;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(saveDir, "snapshot.*")) {
            for (Path f : files) {
                String hex = f.getFileName().toString().substring("snapshot.".length());
                saved = Math.max(saved, Long.parseUnsignedLong(hex, 16));
            }
        }
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
