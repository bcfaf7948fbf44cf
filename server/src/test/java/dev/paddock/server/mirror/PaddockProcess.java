package dev.paddock.server.mirror;

import dev.paddock.server.migration.RealZooKeeper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Paddock server ({@code dev.paddock.server.Main}) in a child JVM on a zoo.cfg written in its home. */
final class PaddockProcess implements AutoCloseable {
    private final Process process;

    private PaddockProcess(Process process) {
        this.process = process;
    }

    /** Writes {@code home/paddock.cfg} and starts the server; its output goes to {@code home/paddock.log}. */
    static PaddockProcess start(Path home, Map<String, String> cfg) throws IOException {
        StringBuilder text = new StringBuilder();
        cfg.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path zooCfg = home.resolve("paddock.cfg");
        Files.writeString(zooCfg, text.toString());
        return new PaddockProcess(new ProcessBuilder(List.of(RealZooKeeper.java(), "-Xmx256m", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=logback-child-timed.xml",
                "-cp", RealZooKeeper.testClassPath(), "dev.paddock.server.Main", zooCfg.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("paddock.log").toFile())).start());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
