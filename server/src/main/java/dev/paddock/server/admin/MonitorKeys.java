package dev.paddock.server.admin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys mntr prints, in ZooKeeper 3.9.5's order, read from {@code mntr-keys.txt} beside this class
 * (which says where the list comes from). Monitoring scripts match keys, and some match positions, so the
 * order is ZooKeeper's rather than a tidier one.
 */
public final class MonitorKeys {
    /** How many keys a metric prints. */
    public enum Kind {
        /** One key: the name. */
        COUNTER,
        /** avg_, min_, max_, cnt_ and sum_ of the name. */
        SUMMARY,
        /** A summary, then p50_, p95_, p99_ and p999_ of the name. */
        PERCENTILES
    }

    public record Metric(Kind kind, String name) {
    }

    static final String METRICS = "metrics";
    private static final String RESOURCE = "mntr-keys.txt";

    private final Map<String, List<String>> valuesByRole;
    private final List<Metric> metrics;

    private MonitorKeys(Map<String, List<String>> valuesByRole, List<Metric> metrics) {
        this.valuesByRole = valuesByRole;
        this.metrics = metrics;
    }

    /** The gauges and monitor values a role prints first: standalone, leader, follower or observer. */
    public List<String> values(String role) {
        List<String> keys = valuesByRole.get(role);
        if (keys == null) {
            throw new IllegalArgumentException("no mntr keys for role " + role);
        }
        return keys;
    }

    /** The counters and summaries every role prints after its values. */
    public List<Metric> metrics() {
        return metrics;
    }

    public static MonitorKeys load() {
        try (InputStream in = MonitorKeys.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the server jar");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MonitorKeys parse(List<String> lines) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = new ArrayList<>();
                sections.put(line.substring(1, line.length() - 1), current);
            } else if (current == null) {
                throw new IllegalStateException(RESOURCE + ": a key before any section: " + line);
            } else {
                current.add(line);
            }
        }
        List<String> metricLines = sections.remove(METRICS);
        if (metricLines == null) {
            throw new IllegalStateException(RESOURCE + " has no [" + METRICS + "] section");
        }
        List<Metric> metrics = new ArrayList<>(metricLines.size());
        for (String line : metricLines) {
            String[] parts = line.split("\\s+");
            Kind kind = switch (parts[0]) {
                case "counter" -> Kind.COUNTER;
                case "summary" -> Kind.SUMMARY;
                case "percentiles" -> Kind.PERCENTILES;
                default -> throw new IllegalStateException(RESOURCE + ": unknown metric kind in '" + line + "'");
            };
            metrics.add(new Metric(kind, parts[1]));
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        sections.forEach((role, keys) -> values.put(role, List.copyOf(keys)));
        return new MonitorKeys(values, List.copyOf(metrics));
    }
}
