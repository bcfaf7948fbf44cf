package dev.paddock.server.ensemble;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the glue's INFO lines (role changes, installs, snapshots written) down to WARN while thousands of
 * schedules run, and back afterwards; a rerun of one seed keeps them, interleaved with its trace. The test
 * logger is slf4j-simple, whose level is fixed when a logger is made (by then another test in the same JVM
 * may have made it), so this sets the logger's level field; with another binding it does nothing.
 */
final class QuietLogs implements AutoCloseable {
    private static final int WARN = 30;

    private record Saved(Logger logger, Field field, int level) {
    }

    private final List<Saved> saved = new ArrayList<>();

    QuietLogs(Class<?>... classes) {
        for (Class<?> c : classes) {
            Logger logger = LoggerFactory.getLogger(c);
            try {
                Field field = logger.getClass().getDeclaredField("currentLogLevel");
                field.setAccessible(true);
                saved.add(new Saved(logger, field, field.getInt(logger)));
                field.setInt(logger, Math.max(WARN, field.getInt(logger)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Not slf4j-simple: leave the level alone.
            }
        }
    }

    @Override
    public void close() {
        for (Saved s : saved) {
            try {
                s.field().setInt(s.logger(), s.level());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
