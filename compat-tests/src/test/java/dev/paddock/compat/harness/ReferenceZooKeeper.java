package dev.paddock.compat.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.zookeeper.server.auth.ProviderRegistry;
import org.apache.zookeeper.server.command.FourLetterCommands;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * The oracle: Apache ZooKeeper 3.9.5, standalone, in-process through ZooKeeper's own embedded
 * API with exactly the zoo.cfg keys the scenario asks for.
 *
 * <p>Not through curator-test's TestingServer: with ZooKeeper 3.9 on the class path it delegates
 * to this same embedded server but forces {@code 4lw.commands.whitelist=*} (and
 * {@code minSessionTimeout=tickTime}) into the configuration, which would hide the whitelist
 * behaviour and the session-timeout defaults that the scenarios pin.
 */
public final class ReferenceZooKeeper implements ServerUnderTest {
    private static final long START_TIMEOUT_MS = 30_000;

    private final ServerSettings settings;
    private final Path baseDir;
    private final SystemPropertiesOverride props;
    private final int port;
    private ZooKeeperServerEmbedded server;

    private ReferenceZooKeeper(ServerSettings settings, Path baseDir, SystemPropertiesOverride props, int port) {
        this.settings = settings;
        this.baseDir = baseDir;
        this.props = props;
        this.port = port;
    }

    public static ReferenceZooKeeper start(ServerSettings settings) throws Exception {
        SystemPropertiesOverride props = new SystemPropertiesOverride(settings.systemProperties());
        try {
            ReferenceZooKeeper z = new ReferenceZooKeeper(settings, Files.createTempDirectory("compat-zookeeper"),
                    props, freePort());
            z.boot();
            return z;
        } catch (Exception | Error e) {
            props.close();
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    private void boot() throws Exception {
        // ZooKeeper reads its 4lw whitelist once per JVM (from the system property its zoo.cfg parsing
        // sets); forget it, so each server answers the words its own zoo.cfg whitelists.
        FourLetterCommands.resetWhiteList();
        // ZooKeeper loads its auth providers (zookeeper.authProvider.N) once per JVM: load them again for
        // this server's system properties.
        ProviderRegistry.reset();
        Properties p = new Properties();
        settings.zooCfgKeys().forEach(p::setProperty);
        p.setProperty("clientPort", Integer.toString(port));
        p.setProperty("dataDir", baseDir.resolve("data").toString());
        // No AdminServer on ZooKeeper's fixed port 8080, unless the scenario asks for one (on a free port).
        if (!settings.zooCfgKeys().containsKey("admin.enableServer")) {
            p.setProperty("admin.enableServer", "false");
        }
        ZooKeeperServerEmbedded s = ZooKeeperServerEmbedded.builder()
                .baseDir(baseDir)
                .configuration(p)
                .exitHandler(ExitHandler.LOG_ONLY)
                .build();
        try {
            s.start(START_TIMEOUT_MS);
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
        server = s;
    }

    @Override
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public int clientPort() {
        return port;
    }

    @Override
    public String name() {
        return "zookeeper";
    }

    @Override
    public void restart() throws Exception {
        server.close();
        server = null;
        boot();
    }

    @Override
    public void close() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            // The zoo.cfg parsing set the whitelist property for the whole JVM: put the common one back.
            System.setProperty(GlobalSystemProperties.WHITELIST_PROPERTY, GlobalSystemProperties.FOUR_LETTER_WHITELIST);
            FourLetterCommands.resetWhiteList();
            props.close();
            ProviderRegistry.reset();
            try (Stream<Path> s = Files.walk(baseDir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
