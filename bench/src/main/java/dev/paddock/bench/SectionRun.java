package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Function;

/**
 * What a section that lives in its own class needs from the harness for one server kind in one round: the
 * run's settings and figures, where the servers' pieces and logs go, and the JVM flags a server started under
 * a given recording name gets (the JFR recording with {@code --jfr}, nothing otherwise).
 */
record SectionRun(Settings settings, Environment env, Figures figures, Path logsDir, ServerKind kind, int round,
                  Function<String, List<String>> recordingFlags) {

    /** A CPU figure, left out when /proc could not tell (another OS, a process gone). */
    void addCpu(String section, String item, String metric, double micros) {
        if (!Double.isNaN(micros)) {
            figures.add(section, item, metric, "µs", true, kind, round, micros);
        }
    }

    /** Copies a stopped server's log into the logs directory under {@code name}. */
    void keepServerLog(ServerProcess server, String name) throws IOException {
        Path log = server.dir.resolve("server.log");
        if (Files.exists(log)) {
            Files.copy(log, logsDir.resolve(name + "-server.log"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
