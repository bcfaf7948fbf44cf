package dev.paddock.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every number the run took, per server and per round. A figure is the median over rounds; its ratio is
 * Paddock / ZooKeeper of those medians, and the spread is the range of the per-round ratios (each round
 * runs both servers back to back, so a round's ratio compares like with like).
 */
public final class Figures {
    /** One row of a results table. */
    public static final class Row {
        public final String section;
        public final String item;
        public final String metric;
        public final String unit;
        public final boolean lowerIsBetter;
        final Map<ServerKind, Map<Integer, Double>> values = new LinkedHashMap<>();
        /** Free text shown beside the row (e.g. "data not recovered"). */
        public String note = "";

        Row(String section, String item, String metric, String unit, boolean lowerIsBetter) {
            this.section = section;
            this.item = item;
            this.metric = metric;
            this.unit = unit;
            this.lowerIsBetter = lowerIsBetter;
        }

        public double median(ServerKind kind) {
            Map<Integer, Double> m = values.get(kind);
            if (m == null || m.isEmpty()) {
                return Double.NaN;
            }
            double[] v = m.values().stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(v);
            int n = v.length;
            return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        }

        public double ratio() {
            return median(ServerKind.PADDOCK) / median(ServerKind.ZOOKEEPER);
        }

        /** min and max of the per-round ratios; NaN when no round has both servers. */
        public double[] ratioRange() {
            double min = Double.NaN;
            double max = Double.NaN;
            Map<Integer, Double> p = values.getOrDefault(ServerKind.PADDOCK, Map.of());
            Map<Integer, Double> z = values.getOrDefault(ServerKind.ZOOKEEPER, Map.of());
            for (Map.Entry<Integer, Double> e : p.entrySet()) {
                Double zv = z.get(e.getKey());
                if (zv == null) {
                    continue;
                }
                double r = e.getValue() / zv;
                min = Double.isNaN(min) ? r : Math.min(min, r);
                max = Double.isNaN(max) ? r : Math.max(max, r);
            }
            return new double[] {min, max};
        }

        /** How much worse Paddock is (1.25 = 25 % worse); below 1 when it is better. */
        public double paddockWorseFactor() {
            double r = ratio();
            return lowerIsBetter ? r : 1 / r;
        }

        public boolean complete() {
            return !Double.isNaN(median(ServerKind.PADDOCK)) && !Double.isNaN(median(ServerKind.ZOOKEEPER));
        }
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();

    public synchronized void add(String section, String item, String metric, String unit, boolean lowerIsBetter,
            ServerKind kind, int round, double value) {
        String key = section + "\u0000" + item + "\u0000" + metric;
        Row row = rows.computeIfAbsent(key, k -> new Row(section, item, metric, unit, lowerIsBetter));
        row.values.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(round, value);
    }

    public synchronized void note(String section, String item, String metric, String note) {
        Row row = rows.get(section + "\u0000" + item + "\u0000" + metric);
        if (row != null && !row.note.contains(note)) {
            row.note = row.note.isEmpty() ? note : row.note + "; " + note;
        }
    }

    public synchronized List<Row> rows(String section) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows.values()) {
            if (r.section.equals(section)) {
                out.add(r);
            }
        }
        return out;
    }

    public synchronized List<Row> all() {
        return new ArrayList<>(rows.values());
    }
}
