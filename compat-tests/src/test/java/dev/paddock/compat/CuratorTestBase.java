package dev.paddock.compat;

import dev.paddock.compat.harness.CompatTestBase;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.AfterEach;

/** Curator 5.9.0 clients for the scenario classes: started, connected, closed after the test. */
abstract class CuratorTestBase extends CompatTestBase {
    static final long WAIT_S = 20;

    /** Closed last-in first-out (recipes before their clients), before the base class's own. */
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    @Override
    protected <T extends AutoCloseable> T track(T resource) {
        owned.push(resource);
        return resource;
    }

    @AfterEach
    final void closeOwned() throws Exception {
        Exception first = null;
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (IllegalStateException alreadyClosed) {
                // a recipe the test closed itself
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    CuratorFramework curator() throws Exception {
        return curator(server.connectString(), SESSION_TIMEOUT_MS);
    }

    CuratorFramework curator(String connectString, int sessionTimeoutMs) throws Exception {
        CuratorFramework c = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(sessionTimeoutMs)
                .connectionTimeoutMs(10_000)
                .retryPolicy(new RetryNTimes(50, 100))
                .build();
        track(c);
        c.start();
        if (!c.blockUntilConnected((int) WAIT_S, TimeUnit.SECONDS)) {
            throw new AssertionError("Curator did not connect to " + connectString + " within " + WAIT_S + " s");
        }
        return c;
    }

    /** A pool shut down after the test; its tasks must end on their own within the bound. */
    ExecutorService pool(int threads) {
        ExecutorService p = Executors.newFixedThreadPool(threads);
        track(() -> {
            p.shutdownNow();
            p.awaitTermination(WAIT_S, TimeUnit.SECONDS);
        });
        return p;
    }

    static void awaitAll(Iterable<? extends Future<?>> futures) throws Exception {
        for (Future<?> f : futures) {
            f.get(WAIT_S * 2, TimeUnit.SECONDS);
        }
    }
}
