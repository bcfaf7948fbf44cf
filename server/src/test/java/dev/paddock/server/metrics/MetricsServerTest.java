package dev.paddock.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metricsProvider keys as ZooKeeper reads them, and what the compat test cannot compare: no exporter
 * unless the Prometheus provider is named, exportJvmInfo=false leaves the JVM's metrics out, a taken port
 * stops the start. (Names and types against ZooKeeper: compat's PrometheusMetricsCompatTest.)
 */
class MetricsServerTest {
    private static final String PROMETHEUS = MetricsSettings.PROMETHEUS;

    @TempDir
    Path dir;

    @Test
    void settings() throws Exception {
        assertThat(MetricsSettings.of(config(Map.of())).enabled()).isFalse();
        assertThat(MetricsSettings.of(config(Map.of("metricsProvider.className",
                "org.apache.zookeeper.metrics.impl.DefaultMetricsProvider"))).enabled()).isFalse();
        assertThat(MetricsSettings.of(config(Map.of("metricsProvider.className", PROMETHEUS))))
                .isEqualTo(new MetricsSettings(true, "0.0.0.0", 7000, true));
        assertThat(MetricsSettings.of(config(Map.of("metricsProvider.className", PROMETHEUS,
                "metricsProvider.httpPort", "7100", "metricsProvider.httpHost", "127.0.0.1",
                "metricsProvider.exportJvmInfo", "no"))))
                .isEqualTo(new MetricsSettings(true, "127.0.0.1", 7100, false));
        assertThatThrownBy(() -> MetricsSettings.of(config(Map.of("metricsProvider.className", "com.example.Mine"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("com.example.Mine");
        assertThatThrownBy(() -> MetricsSettings.of(config(Map.of("metricsProvider.className", PROMETHEUS,
                "metricsProvider.httpPort", "x")))).isInstanceOf(ConfigException.class);
    }

    @Test
    void withoutJvmInfoOnlyZooKeepersMetrics() throws Exception {
        int port = ServerTestSupport.freePort();
        try (PaddockServer server = PaddockServer.start(serverConfig(port, "false"))) {
            assertThat(server.metricsPort()).isEqualTo(port);
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("# TYPE znode_count gauge", "# TYPE updatelatency summary")
                    .doesNotContain("jvm_memory_", "jvm_threads_", "process_cpu_seconds");
        }
    }

    @Test
    void aTakenPortStopsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerConfig cfg = serverConfig(taken.getLocalPort(), "true");
            assertThatThrownBy(() -> PaddockServer.start(cfg)).isInstanceOf(IOException.class);
        }
    }

    private ServerConfig serverConfig(int metricsPort, String jvm) throws Exception {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "200");
        cfg.put("dataDir", dir.resolve("data").toString());
        cfg.put("clientPort", Integer.toString(ServerTestSupport.freePort()));
        cfg.put("clientPortAddress", "127.0.0.1");
        cfg.put("metricsProvider.className", PROMETHEUS);
        cfg.put("metricsProvider.httpHost", "127.0.0.1");
        cfg.put("metricsProvider.httpPort", Integer.toString(metricsPort));
        cfg.put("metricsProvider.exportJvmInfo", jvm);
        return ServerTestSupport.config(dir, cfg);
    }

    private ServerConfig config(Map<String, String> extra) throws ConfigException {
        Properties p = new Properties();
        p.setProperty("dataDir", dir.toString());
        extra.forEach(p::setProperty);
        return ServerConfig.fromProperties(p);
    }
}
