package dev.paddock.testing;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.ServerConfig;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One Paddock server in this JVM, for test suites, shaped like curator-test's {@code TestingServer}: on a
 * free loopback port (or the one given) with its data in a temporary directory (or the one given);
 * {@link #restart()} keeps both, {@link #close()} stops it and deletes a temporary directory.
 *
 * <p>The server listens on 127.0.0.1 only, answers every four-letter word, and runs no AdminServer or
 * metrics endpoint unless the extra zoo.cfg keys ask for one (ZooKeeper's AdminServer would take port
 * 8080). Not thread-safe: a test drives it from one thread.
 */
public class TestingServer implements Closeable {
    private final Map<String, String> zooCfg;
    private final Path dataDir;
    private final boolean temporary;
    private int port;
    private PaddockServer server;

    /** Started at once, on a free port, with a temporary data directory. */
    public TestingServer() throws Exception {
        this(0, null, true);
    }

    /** On a free port with a temporary data directory; started now when {@code start}. */
    public TestingServer(boolean start) throws Exception {
        this(0, null, start);
    }

    /** Started at once on {@code port} (0: a free one), with a temporary data directory. */
    public TestingServer(int port) throws Exception {
        this(port, null, true);
    }

    /** On {@code port} (0: a free one), started now when {@code start}. */
    public TestingServer(int port, boolean start) throws Exception {
        this(port, null, start);
    }

    /** Started at once on {@code port} (0: a free one) with its data in {@code dataDirectory}, kept on close. */
    public TestingServer(int port, File dataDirectory) throws Exception {
        this(port, dataDirectory, true);
    }

    /**
     * @param dataDirectory where the data lives (kept on close), or null for a temporary one (deleted on close)
     */
    public TestingServer(int port, File dataDirectory, boolean start) throws Exception {
        this(port, dataDirectory, start, Map.of());
    }

    /**
     * @param zooCfg further zoo.cfg keys (tickTime, maxSessionTimeout, 4lw.commands.whitelist, ...); they win
     *               over this class's defaults, except clientPort and dataDir
     */
    public TestingServer(int port, File dataDirectory, boolean start, Map<String, String> zooCfg) throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        this.temporary = dataDirectory == null;
        this.dataDir = temporary ? Files.createTempDirectory("paddock-testing") : dataDirectory.toPath();
        this.zooCfg = new LinkedHashMap<>(zooCfg);
        if (start) {
            start();
        }
    }

    /** Starts the server; a stopped server comes back on the same port with the same data. */
    public void start() throws Exception {
        if (server != null) {
            return;
        }
        try {
            server = PaddockServer.start(config());
        } catch (IOException | ConfigException e) {
            throw new IOException("the Paddock testing server did not start: " + e.getMessage(), e);
        }
        // A free port chosen by the first start is kept, so that restart() and clients find it again.
        port = server.clientPort();
    }

    /** Stops the server, keeping its data and port; {@link #start()} or {@link #restart()} bring it back. */
    public void stop() {
        if (server != null) {
            PaddockServer s = server;
            server = null;
            s.close();
        }
    }

    /** Stops and starts it again: same port, same data (sessions survive if they reconnect in time). */
    public void restart() throws Exception {
        stop();
        start();
    }

    /** Whether it is running now. */
    public boolean isRunning() {
        return server != null;
    }

    /**
     * The client port: the given one, or the free one the first start bound (0 before that, when none was
     * given).
     */
    public int getPort() {
        return port;
    }

    /** {@code 127.0.0.1:port}, for a client's connect string. */
    public String getConnectString() {
        if (port == 0) {
            throw new IllegalStateException("not started yet: the free port is chosen by the first start()");
        }
        return "127.0.0.1:" + port;
    }

    /** The data directory (curator-test's name for it). */
    public File getTempDirectory() {
        return dataDir.toFile();
    }

    /** Stops the server and deletes its data directory when this object created it. */
    @Override
    public void close() throws IOException {
        stop();
        if (temporary) {
            Directories.delete(dataDir);
        }
    }

    private ServerConfig config() throws ConfigException {
        Properties p = new Properties();
        p.setProperty("tickTime", "2000");
        p.setProperty("4lw.commands.whitelist", "*");
        p.setProperty("admin.enableServer", "false");
        // A test needs no durability against power loss: no fsync, small log segments (quick to preallocate).
        p.setProperty("forceSync", "no");
        p.setProperty("preAllocSize", "1024");
        zooCfg.forEach(p::setProperty);
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("clientPort", Integer.toString(port));
        p.setProperty("dataDir", dataDir.toString());
        return ServerConfig.fromProperties(p);
    }
}
