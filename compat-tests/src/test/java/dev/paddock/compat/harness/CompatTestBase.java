package dev.paddock.compat.harness;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Each scenario class is written once, as an abstract subclass of this, and run twice through
 * two one-line concrete classes: {@code XxxOnZooKeeperTest} (the reference, which proves the
 * expectations) and {@code XxxOnPaddockTest}. One server per concrete class; every test gets its
 * own fresh parent node {@link #base} so that tests sharing the server do not see each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CompatTestBase {
    static {
        GlobalSystemProperties.install();
    }

    /** Session timeout asked for by ordinary clients. */
    protected static final int SESSION_TIMEOUT_MS = 30_000;

    private static final AtomicInteger COUNTER = new AtomicInteger();

    protected ServerUnderTest server;
    /** "/<testMethod>-<n>", created (world-open, persistent, no data) before each test. */
    protected String base;

    private final List<ZooKeeper> clients = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ZooKeeper admin;

    public abstract Target target();

    /** Server settings for the whole class; override to change them. */
    protected ServerSettings settings() {
        return ServerSettings.defaults();
    }

    /** Whether to create {@link #base} before each test. */
    protected boolean createBaseNode() {
        return true;
    }

    @BeforeAll
    final void startServer() throws Exception {
        server = target().start(settings());
    }

    @AfterAll
    final void stopServer() throws Exception {
        try {
            if (admin != null) {
                admin.close(2000);
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @BeforeEach
    final void prepareBase(TestInfo info) throws Exception {
        String method = info.getTestMethod().map(m -> m.getName()).orElse("test");
        base = "/" + method + "-" + COUNTER.incrementAndGet();
        if (createBaseNode()) {
            admin().create(base, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
    }

    @AfterEach
    final void closeClients() throws Exception {
        for (ZooKeeper zk : clients) {
            zk.close(2000);
        }
        clients.clear();
        for (AutoCloseable c : resources) {
            c.close();
        }
        resources.clear();
    }

    /** A client kept for the life of the server, for setting up and inspecting. */
    protected ZooKeeper admin() throws Exception {
        if (admin == null || !admin.getState().isAlive()) {
            admin = connectTo(server.connectString(), SESSION_TIMEOUT_MS, new Events());
        }
        return admin;
    }

    /** A new connected client (closed after the test). */
    protected ZooKeeper connect() throws Exception {
        return connect(new Events());
    }

    /** A new connected client whose default watcher is the given recorder. */
    protected ZooKeeper connect(Events defaultWatcher) throws Exception {
        return track(connectTo(server.connectString(), SESSION_TIMEOUT_MS, defaultWatcher));
    }

    /** A new client to any address (a proxy, for instance) with a chosen session timeout. */
    protected ZooKeeper connect(String connectString, int sessionTimeoutMs, Events defaultWatcher) throws Exception {
        return track(connectTo(connectString, sessionTimeoutMs, defaultWatcher));
    }

    protected ZooKeeper track(ZooKeeper zk) {
        clients.add(zk);
        return zk;
    }

    protected <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private static ZooKeeper connectTo(String cs, int timeoutMs, Events w) throws IOException {
        ZooKeeper zk = new ZooKeeper(cs, timeoutMs, w);
        try {
            w.awaitState(KeeperState.SyncConnected);
        } catch (AssertionError e) {
            try {
                zk.close(1000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        return zk;
    }

    /** The code of a failed call, or null if it did not throw a KeeperException. */
    protected static KeeperException.Code codeOf(KeeperCall call) {
        try {
            call.run();
            return null;
        } catch (KeeperException e) {
            return e.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    protected interface KeeperCall {
        void run() throws KeeperException, InterruptedException;
    }
}
