package dev.paddock.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * conf/logback.xml (what bin/paddock runs with) and the jar's own logback.xml, each loaded into a logger
 * context of its own: the rolling file goes where zookeeper.log.dir and zookeeper.log.file say (bin/paddock
 * sets them from ZOO_LOG_DIR and ZOO_LOG_FILE, as zkServer.sh does), zookeeper.root.level sets the level
 * (bin/paddock's ZOO_LOG_LEVEL), lines have ZooKeeper's pattern, and neither file has a configuration error.
 */
class LogbackConfTest {
    /** The tests run in server/; the operator's file is at the top of the checkout. */
    private static final Path CONF = Path.of("..", "conf", "logback.xml");

    @TempDir
    Path dir;

    @Test
    void theRollingFileFollowsZooKeepersProperties() throws Exception {
        LoggerContext context = configure(CONF.toUri().toURL(), Map.of("zookeeper.log.dir", dir.toString(),
                "zookeeper.log.file", "paddock-test.log", "zookeeper.console.threshold", "OFF"));
        Logger log = context.getLogger("dev.paddock.test");
        log.info("an info line");
        log.debug("a debug line");
        context.stop();
        String text = Files.readString(dir.resolve("paddock-test.log"));
        assertThat(text).contains("an info line").doesNotContain("a debug line");
        assertThat(text.lines().findFirst().orElseThrow()).matches(
                "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} \\[myid:\\] - "
                        + "INFO  \\[main:d\\.p\\.s\\.l\\.LogbackConfTest@\\d+\\] - an info line");
    }

    @Test
    void theLevelComesFromTheEnvironmentThroughBinPaddock() throws Exception {
        LoggerContext context = configure(CONF.toUri().toURL(), Map.of("zookeeper.log.dir", dir.toString(),
                "zookeeper.log.file", "quiet.log", "zookeeper.root.level", "WARN",
                "zookeeper.console.threshold", "OFF"));
        Logger log = context.getLogger("dev.paddock.test");
        log.info("not written");
        log.warn("written");
        context.stop();
        assertThat(Files.readString(dir.resolve("quiet.log"))).contains("written").doesNotContain("not written");
    }

    @Test
    void theJarsDefaultConfigurationLoads() throws Exception {
        URL jarDefault = getClass().getClassLoader().getResource("logback.xml");
        assertThat(jarDefault).isNotNull();
        LoggerContext context = configure(jarDefault, Map.of());
        assertThat(context.getLogger("dev.paddock.test").isInfoEnabled()).isTrue();
        context.stop();
    }

    private static LoggerContext configure(URL file, Map<String, String> properties) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // a context of its own needs its own MDC (%X{myid})
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(file);
        context.start();
        for (Status s : context.getStatusManager().getCopyOfStatusList()) {
            assertThat(s.getLevel()).as(s.toString()).isLessThan(Status.WARN);
        }
        return context;
    }
}
