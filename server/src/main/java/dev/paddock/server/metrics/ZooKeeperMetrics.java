package dev.paddock.server.metrics;

import dev.paddock.server.admin.FourLetterWords;
import dev.paddock.server.admin.MonitorKeys;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.stats.Summary;
import io.prometheus.metrics.model.registry.MultiCollector;
import dev.paddock.server.tree.QuotaGauges;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * ZooKeeper 3.9.5's server metrics, under its names, as the Prometheus Java client's snapshots: read when
 * Prometheus scrapes, never kept up to date per request (the request path only updates {@link ServerStats}
 * as it always did). The values are mntr's, taken on the request thread once per scrape.
 *
 * <ul>
 *   <li>ZooKeeper's gauges (the ones it registers with registerGauge, for this server's role) are gauges.</li>
 *   <li>ZooKeeper's summaries are summaries with its quantiles (0.5, 0.9 and 0.99 for those mntr prints with
 *       percentiles, 0.5 for the others), {@code _count} and {@code _sum}; NaN quantiles while empty.</li>
 *   <li>ZooKeeper's counters keep their sample names (bytes_received_count, ...) and are exported as
 *       untyped: the client 1.x always writes a counter's samples as {@code <name>_total}, which would rename
 *       every one of them and break the queries of ZooKeeper's dashboards; PromQL's rate() and increase()
 *       work on untyped series alike.</li>
 * </ul>
 */
final class ZooKeeperMetrics implements MultiCollector {
    /** ZooKeeper's gauges (its registerGauge calls); mntr's other values (version, states) are not metrics. */
    static final Set<String> GAUGES = Set.of("approximate_data_size", "auth_failed_count", "avg_latency",
            "connection_drop_probability", "ephemerals_count", "global_sessions", "last_client_response_size",
            "last_proposal_size", "leader_uptime", "learners", "local_sessions", "max_client_response_size",
            "max_file_descriptor_count", "max_latency", "max_proposal_size", "min_client_response_size",
            "min_latency", "min_proposal_size", "non_mtls_local_conn_count", "non_mtls_remote_conn_count",
            "num_alive_connections", "open_file_descriptor_count", "outstanding_requests",
            "outstanding_tls_handshake", "packets_received", "packets_sent", "pending_syncs", "quorum_size",
            "synced_followers", "synced_non_voting_followers", "synced_observers", "uptime", "watch_count",
            "znode_count");
    private static final double[] ADVANCED = {0.5, 0.9, 0.99};
    private static final double[] BASIC = {0.5};

    private final MonitorKeys keys = MonitorKeys.load();
    private final Supplier<Map<String, Object>> monitorValues;
    private final ServerStats stats;

    /**
     * @param monitorValues mntr's values as the request thread collects them (null when it did not answer
     *                      in time: the scrape then holds the JVM's metrics only)
     */
    ZooKeeperMetrics(Supplier<Map<String, Object>> monitorValues, ServerStats stats) {
        this.monitorValues = monitorValues;
        this.stats = stats;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Object> collected = monitorValues.get();
        if (collected == null) {
            return new MetricSnapshots();
        }
        Map<String, Object> values = FourLetterWords.completeMonitorValues(collected);
        List<MetricSnapshot> out = new ArrayList<>();
        values.forEach((key, value) -> {
            if (GAUGES.contains(key) && value instanceof Number n) {
                out.add(GaugeSnapshot.builder().name(key).help(key)
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(n.doubleValue()).build())
                        .build());
            }
        });
        for (String name : List.of(QuotaGauges.COUNT_LIMIT, QuotaGauges.BYTES_LIMIT, QuotaGauges.COUNT_USAGE,
                QuotaGauges.BYTES_USAGE)) {
            MetricSnapshot perNamespace = perNamespace(name, values);
            if (perNamespace != null) {
                out.add(perNamespace);
            }
        }
        for (MonitorKeys.Metric m : keys.metrics()) {
            out.add(m.kind() == MonitorKeys.Kind.COUNTER ? counter(m.name(), values)
                    : summary(m.name(), m.kind() == MonitorKeys.Kind.PERCENTILES ? ADVANCED : BASIC, values));
        }
        return new MetricSnapshots(out);
    }

    /**
     * A gauge set of ZooKeeper's (the quota figures, mntr's {@code <namespace>_<name>} keys) as its Prometheus
     * provider exports one: a gauge with one sample per namespace, labelled {@code key}; null when mntr has none.
     */
    private static MetricSnapshot perNamespace(String name, Map<String, Object> values) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(name);
        boolean any = false;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey();
            if (key.endsWith("_" + name) && e.getValue() instanceof Number n) {
                String namespace = key.substring(0, key.length() - name.length() - 1);
                gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(n.doubleValue())
                        .labels(Labels.of("key", namespace)).build());
                any = true;
            }
        }
        return any ? gauge.build() : null;
    }

    private static MetricSnapshot counter(String name, Map<String, Object> values) {
        return UnknownSnapshot.builder().name(name).help(name)
                .dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().value(number(values.get(name))).build())
                .build();
    }

    /** Count and sum from mntr's cnt_ and sum_; quantiles from the measured window where Paddock has one. */
    private MetricSnapshot summary(String name, double[] ranks, Map<String, Object> values) {
        Summary measured = switch (name) {
            case "readlatency" -> stats.readLatency();
            case "updatelatency" -> stats.updateLatency();
            default -> null;
        };
        double[] q = measured == null ? nans(ranks.length) : measured.quantiles(ranks);
        List<Quantile> quantiles = new ArrayList<>(ranks.length);
        for (int i = 0; i < ranks.length; i++) {
            quantiles.add(new Quantile(ranks[i], q[i]));
        }
        return SummarySnapshot.builder().name(name).help(name)
                .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                        .quantiles(Quantiles.of(quantiles))
                        .count((long) number(values.get("cnt_" + name)))
                        .sum(number(values.get("sum_" + name)))
                        .build())
                .build();
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static double[] nans(int n) {
        double[] d = new double[n];
        java.util.Arrays.fill(d, Double.NaN);
        return d;
    }
}
