package dev.paddock.it;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.Properties;

/** A standalone Paddock server in this JVM. */
public final class PaddockCoordinator implements Coordinator {
    private final Path dataDir;
    private int port;
    private PaddockServer server;

    private PaddockCoordinator(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Starts on a free loopback port, data in {@code dataDir}. */
    public static PaddockCoordinator start(Path dataDir) throws Exception {
        PaddockCoordinator c = new PaddockCoordinator(dataDir);
        c.server = c.startOn(0);
        c.port = c.server.clientPort();
        return c;
    }

    private PaddockServer startOn(int clientPort) throws Exception {
        Properties p = new Properties();
        p.setProperty("clientPort", Integer.toString(clientPort));
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("dataDir", dataDir.toString());
        p.setProperty("tickTime", "2000");
        p.setProperty("maxClientCnxns", "0");
        return PaddockServer.start(ServerConfig.fromProperties(p));
    }

    @Override
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public String name() {
        return "Paddock";
    }

    @Override
    public synchronized void restart() throws Exception {
        server.close();
        server = null;
        server = startOn(port);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
