package dev.paddock.server.ensemble;

import ch.qos.logback.classic.Level;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Turns the glue's INFO lines (role changes, installs, snapshots written) down to WARN while thousands of
 * schedules run, and back afterwards; a rerun of one seed keeps them, interleaved with its trace. The test
 * binding is logback (logback-test.xml), whose loggers' levels can be set and restored.
 */
final class QuietLogs implements AutoCloseable {
    private record Saved(ch.qos.logback.classic.Logger logger, Level level) {
    }

    private final List<Saved> saved = new ArrayList<>();

    QuietLogs(Class<?>... classes) {
        for (Class<?> c : classes) {
            if (LoggerFactory.getLogger(c) instanceof ch.qos.logback.classic.Logger logger) {
                saved.add(new Saved(logger, logger.getLevel()));
                if (!logger.isEnabledFor(Level.INFO) || logger.getEffectiveLevel().isGreaterOrEqual(Level.WARN)) {
                    continue;
                }
                logger.setLevel(Level.WARN);
            }
        }
    }

    @Override
    public void close() {
        for (Saved s : saved) {
            s.logger().setLevel(s.level()); // null: inherit again
        }
    }
}
