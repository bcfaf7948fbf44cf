package dev.paddock.compat.harness;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Paddock started in-process through its public API:
 * {@code PaddockServer.start(ServerConfig.fromProperties(zooCfg))}, {@code clientPort()},
 * {@code close()}.
 *
 * <p>The API is reached by reflection so that this module keeps compiling (and the reference
 * half of every scenario keeps running) while the server module is being written; a missing or
 * changed API fails the Paddock scenarios with a message that says so.
 */
public final class PaddockUnderTest implements ServerUnderTest {
    private static final String CONFIG_CLASS = "dev.paddock.server.config.ServerConfig";
    private static final String SERVER_CLASS = "dev.paddock.server.PaddockServer";

    private final ServerSettings settings;
    private final Path dataDir;
    private final SystemPropertiesOverride props;
    private Object server;
    private int port;

    private PaddockUnderTest(ServerSettings settings, Path dataDir, SystemPropertiesOverride props) {
        this.settings = settings;
        this.dataDir = dataDir;
        this.props = props;
    }

    public static PaddockUnderTest start(ServerSettings settings) throws Exception {
        SystemPropertiesOverride props = new SystemPropertiesOverride(settings.systemProperties());
        try {
            PaddockUnderTest p = new PaddockUnderTest(settings, Files.createTempDirectory("compat-paddock"), props);
            p.boot(0);
            return p;
        } catch (Exception | Error e) {
            props.close();
            throw e;
        }
    }

    private void boot(int clientPort) throws Exception {
        Properties p = new Properties();
        settings.zooCfgKeys().forEach(p::setProperty);
        p.setProperty("clientPort", Integer.toString(clientPort));
        p.setProperty("dataDir", dataDir.toString());
        try {
            Class<?> cfgClass = Class.forName(CONFIG_CLASS);
            Class<?> serverClass = Class.forName(SERVER_CLASS);
            Object cfg = cfgClass.getMethod("fromProperties", Properties.class).invoke(null, p);
            server = serverClass.getMethod("start", cfgClass).invoke(null, cfg);
            port = (Integer) serverClass.getMethod("clientPort").invoke(server);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new IllegalStateException("Paddock's in-process API (" + SERVER_CLASS + ".start("
                    + CONFIG_CLASS + ".fromProperties(Properties)), clientPort(), close()) is not available: " + e, e);
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        }
    }

    private static Exception unwrap(InvocationTargetException e) {
        Throwable c = e.getCause();
        if (c instanceof Error err) {
            throw err;
        }
        return c instanceof Exception ex ? ex : e;
    }

    private void stop() throws Exception {
        if (server == null) {
            return;
        }
        Object s = server;
        server = null;
        try {
            Method close = s.getClass().getMethod("close");
            close.invoke(s);
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        }
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
        return "paddock";
    }

    @Override
    public void restart() throws Exception {
        stop();
        boot(port);
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            props.close();
            try (Stream<Path> s = Files.walk(dataDir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
