package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.GlobalSystemProperties;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.ServerUnderTest;
import dev.paddock.compat.harness.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider} on
 * ZooKeeper 3.9.5 and on Paddock, each under the same small load (creates, reads, watches, a delete), then
 * scraped once: every sample name ZooKeeper exports (what PromQL and so the ZooKeeper Grafana dashboards
 * query) must be exported by Paddock, with ZooKeeper's type, except those listed below with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusMetricsCompatTest {
    static {
        GlobalSystemProperties.install();
    }

    /**
     * ZooKeeper's samples that Paddock deliberately does not export, and why. The per-namespace metrics
     * exist in ZooKeeper for each top-level node and quota; Paddock keeps no per-namespace read and write
     * accounting. Its quota gauges are checked here (the load sets a quota); the quota refusals' counter needs
     * zookeeper.enforceQuota, which ZooKeeper reads once per JVM (QuotaEnforcementProceduresTest covers it in mntr).
     */
    private static final Map<String, String> ABSENT = Map.ofEntries(
            Map.entry("read_per_namespace", "no per-namespace accounting"),
            Map.entry("read_per_namespace_count", "no per-namespace accounting"),
            Map.entry("read_per_namespace_sum", "no per-namespace accounting"),
            Map.entry("write_per_namespace", "no per-namespace accounting"),
            Map.entry("write_per_namespace_count", "no per-namespace accounting"),
            Map.entry("write_per_namespace_sum", "no per-namespace accounting"),
            Map.entry("quota_exceeded_error_per_namespace", "not exported (needs enforceQuota to be seen here)"));
    /**
     * ZooKeeper's JVM samples come from the 0.x client's hotspot exports; Paddock's from the 1.x client's
     * instrumentation-jvm, which renamed these (the replacement must be there).
     */
    private static final Map<String, String> JVM_RENAMED = Map.ofEntries(
            Map.entry("jvm_info", "jvm_runtime_info"),
            Map.entry("jvm_classes_loaded", "jvm_classes_currently_loaded"),
            Map.entry("jvm_memory_bytes_used", "jvm_memory_used_bytes"),
            Map.entry("jvm_memory_bytes_committed", "jvm_memory_committed_bytes"),
            Map.entry("jvm_memory_bytes_max", "jvm_memory_max_bytes"),
            Map.entry("jvm_memory_bytes_init", "jvm_memory_init_bytes"),
            Map.entry("jvm_memory_pool_bytes_used", "jvm_memory_pool_used_bytes"),
            Map.entry("jvm_memory_pool_bytes_committed", "jvm_memory_pool_committed_bytes"),
            Map.entry("jvm_memory_pool_bytes_max", "jvm_memory_pool_max_bytes"),
            Map.entry("jvm_memory_pool_bytes_init", "jvm_memory_pool_init_bytes"));
    private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})? (\\S+)");

    private Map<String, String> zookeeper;
    private Map<String, String> paddock;
    private String paddockText;

    @BeforeAll
    void scrapeBoth() throws Exception {
        zookeeper = samples(scrape(Target.ZOOKEEPER));
        paddockText = scrape(Target.PADDOCK);
        paddock = samples(paddockText);
    }

    /** Starts the server with the provider on a free port, runs the load, scrapes /metrics once. */
    private static String scrape(Target target) throws Exception {
        int port = freePort();
        ServerSettings settings = ServerSettings.defaults()
                .zooCfg("metricsProvider.className",
                        "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider")
                .zooCfg("metricsProvider.httpHost", "127.0.0.1")
                .zooCfg("metricsProvider.httpPort", Integer.toString(port))
                .zooCfg("metricsProvider.exportJvmInfo", "true");
        ServerUnderTest server = target.start(settings);
        try (ZooKeeper zk = new ZooKeeper(server.connectString(), 30_000, e -> { })) {
            Await.until("connected", Duration.ofSeconds(30), () -> zk.getState() == ZooKeeper.States.CONNECTED);
            zk.create("/metrics-load", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            // A quota on it, as the shell's setquota -N 100 writes it: the per-namespace quota gauges.
            zk.create("/zookeeper/quota/metrics-load", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.create("/zookeeper/quota/metrics-load/zookeeper_limits",
                    "count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=100".getBytes(StandardCharsets.UTF_8),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.create("/zookeeper/quota/metrics-load/zookeeper_stats",
                    "count=0,bytes=0".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
            for (int i = 0; i < 20; i++) {
                String p = zk.create("/metrics-load/n-", new byte[16], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT_SEQUENTIAL);
                zk.getData(p, true, null);
                zk.setData(p, new byte[8], -1);
                zk.delete(p, -1);
            }
            zk.getChildren("/metrics-load", true);
            // jvm_memory_pool_allocated_bytes_total counts what each garbage collection found allocated, so
            // both clients export it only once a collection has happened since the exporter started.
            HttpClient http = HttpClient.newHttpClient();
            return Await.value(target + " /metrics after a collection", Duration.ofSeconds(30), () -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/metrics")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(target + " /metrics").isEqualTo(200);
                if (!r.body().contains("jvm_memory_pool_allocated_bytes_total{")) {
                    System.gc(); // the next scrape sees it
                }
                return r.body();
            }, body -> body.contains("jvm_memory_pool_allocated_bytes_total{"));
        } finally {
            server.close();
        }
    }

    @Test
    void everyZooKeeperSampleIsExportedWithItsType() {
        List<String> missing = new ArrayList<>();
        List<String> wrongType = new ArrayList<>();
        zookeeper.forEach((name, type) -> {
            if (ABSENT.containsKey(name) || JVM_RENAMED.containsKey(name)) {
                return;
            }
            String mine = paddock.get(name);
            if (mine == null) {
                missing.add(name + " (" + type + ")");
            } else if (!mine.equals(type) && !(type.equals("counter") && mine.equals("untyped")
                    && !name.startsWith("jvm_") && !name.startsWith("process_"))) {
                // ZooKeeper's own counters are exported untyped (see ZooKeeperMetrics); JVM ones are counters.
                wrongType.add(name + ": " + mine + ", ZooKeeper " + type);
            }
        });
        assertThat(missing).as("ZooKeeper's samples missing on Paddock").isEmpty();
        assertThat(wrongType).as("types").isEmpty();
    }

    @Test
    void theDeliberateAbsencesAreStillTrue() {
        // If ZooKeeper stops exporting one, or Paddock starts, the list must change.
        for (String name : ABSENT.keySet()) {
            assertThat(paddock).as(name).doesNotContainKey(name);
        }
        assertThat(zookeeper).containsKeys("read_per_namespace_count", "write_per_namespace_count");
        JVM_RENAMED.forEach((old, renamed) -> {
            assertThat(zookeeper).as(old).containsKey(old);
            assertThat(paddock).as(old + " is " + renamed + " in the 1.x client").containsKey(renamed)
                    .doesNotContainKey(old);
        });
    }

    @Test
    void theLoadShowsInTheValues() {
        // 20 setData and 20 deletes (and creates) are updates; 20 getData and a getChildren are reads.
        assertThat(value("updatelatency_count")).isGreaterThanOrEqualTo(60);
        assertThat(value("readlatency_count")).isGreaterThanOrEqualTo(21);
        assertThat(value("znode_count")).isGreaterThanOrEqualTo(4);
        assertThat(paddockText).contains("quota_count_limit_per_namespace{key=\"metrics-load\"} 100.0",
                "quota_count_usage_per_namespace{key=\"metrics-load\"} 1.0");
        assertThat(zookeeper).containsKeys("quota_count_limit_per_namespace", "quota_bytes_usage_per_namespace");
        assertThat(paddockText).contains("# TYPE readlatency summary", "readlatency{quantile=\"0.99\"}",
                "# TYPE bytes_received_count untyped", "# TYPE num_alive_connections gauge");
    }

    private double value(String sample) {
        Matcher m = Pattern.compile("(?m)^" + sample + " (\\S+)$").matcher(paddockText);
        assertThat(m.find()).as(sample).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** Sample name (labels dropped) to the type of the family it belongs to. */
    static Map<String, String> samples(String exposition) {
        Map<String, String> types = new TreeMap<>();
        Map<String, String> out = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            Matcher t = TYPE.matcher(line);
            if (t.matches()) {
                types.put(t.group(1), t.group(2));
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher s = SAMPLE.matcher(line);
            assertThat(s.matches()).as("sample line " + line).isTrue();
            out.put(s.group(1), familyType(types, s.group(1)));
        }
        return out;
    }

    private static String familyType(Map<String, String> types, String sample) {
        if (types.containsKey(sample)) {
            return types.get(sample);
        }
        for (String suffix : List.of("_count", "_sum", "_total", "_created", "_bucket", "_info")) {
            if (sample.endsWith(suffix)) {
                String family = sample.substring(0, sample.length() - suffix.length());
                if (types.containsKey(family)) {
                    return types.get(family);
                }
            }
        }
        return types.getOrDefault(sample, "untyped");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}
