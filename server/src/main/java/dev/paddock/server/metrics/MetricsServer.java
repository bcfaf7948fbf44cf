package dev.paddock.server.metrics;

import dev.paddock.server.admin.FourLetterWords;
import dev.paddock.server.stats.ServerStats;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus endpoint of {@code metricsProvider.className=...PrometheusMetricsProvider}: the client's
 * own HTTP server on {@code httpHost:httpPort}, serving {@code /metrics}, with one registry per server (so
 * several servers in one JVM, as in tests, each export their own) holding {@link ZooKeeperMetrics} and,
 * with {@code exportJvmInfo}, the client's JVM metrics.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    /** How long a scrape waits for the request thread; a busier one makes that scrape JVM-only. */
    static final long COLLECT_WAIT_MS = 10_000;
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    private final HTTPServer http;

    private MetricsServer(HTTPServer http) {
        this.http = http;
    }

    /**
     * @param requestThread queues a task on the request thread without waiting; false when it is full
     * @throws IOException when the port cannot be bound
     */
    public static MetricsServer start(MetricsSettings settings, FourLetterWords words, ServerStats stats,
                                      Predicate<Runnable> requestThread) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ZooKeeperMetrics(() -> onRequestThread(words::monitorValues, requestThread), stats));
        registry.register(new LearnerMetrics(() -> onRequestThread(words::learnerLags, requestThread)));
        if (settings.exportJvmInfo()) {
            JvmMetrics.builder().register(registry);
        }
        // The client's server is the JDK's, which leaves Nagle on unless told: every scrape then waits for the
        // scraper's delayed ACK (about 50 ms here, against 9 ms with it off). Set unless the operator chose.
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        HTTPServer http = HTTPServer.builder().hostname(settings.host()).port(settings.port()).registry(registry)
                .buildAndStart();
        LOG.info("Serving Prometheus metrics on {}:{}/metrics", settings.host(), http.getPort());
        return new MetricsServer(http);
    }

    /** What {@code read} gives on the request thread, or null when that thread is full or too slow. */
    private static <T> T onRequestThread(java.util.function.Supplier<T> read, Predicate<Runnable> requestThread) {
        CompletableFuture<T> values = new CompletableFuture<>();
        if (!requestThread.test(() -> values.complete(read.get()))) {
            return null;
        }
        try {
            return values.get(COLLECT_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("The request thread did not give the metrics in {} ms; this scrape has the JVM's only",
                    COLLECT_WAIT_MS);
            return null;
        }
    }

    public int port() {
        return http.getPort();
    }

    @Override
    public void close() {
        http.close();
    }
}
