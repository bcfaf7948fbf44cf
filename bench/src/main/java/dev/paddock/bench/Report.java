package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the results file (markdown), the raw per-round figures (TSV) and the charts (PNG). */
final class Report {
    /** A load point, so the charts can find its rows. */
    record LoadKey(String mix, int payloadBytes, int inFlight, String item) {
    }

    static final Map<String, String> SECTION_TITLES = new LinkedHashMap<>();

    static {
        SECTION_TITLES.put("jmh", "Per-operation latency (JMH SampleTime, synchronous client, one request in flight)");
        SECTION_TITLES.put("load", "Load generator (asynchronous client, closed loop)");
        SECTION_TITLES.put("latency", "Latency at ZooKeeper's half-peak throughput (asynchronous client, open loop)");
        SECTION_TITLES.put("fanout", "Watch fan-out (one setData, every session watching the node)");
        SECTION_TITLES.put("churn", "Session churn (open a session, close it, repeat)");
        SECTION_TITLES.put("scale", "Scale (N znodes of 100-byte data at depth 4)");
        SECTION_TITLES.put("tls", "TLS on the client port (asynchronous client over TLS, JDK and OpenSSL providers)");
        SECTION_TITLES.put("jfr", "JFR recordings (--jfr): fsyncs and collector pauses");
        SECTION_TITLES.put("ensemble", "Ensemble (members in child JVMs on this machine, asynchronous client)");
    }

    /** Paddock counts as worse or better only beyond this factor; closer is within noise. */
    static final double SAME_WITHIN = 1.05;

    private Report() {
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String ratio(double r) {
        return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2f", r);
    }

    static String verdict(Figures.Row row) {
        if (!row.complete()) {
            return "n/a";
        }
        double f = row.paddockWorseFactor();
        if (f > SAME_WITHIN) {
            return "**worse " + factor(f) + "**";
        }
        if (f < 1 / SAME_WITHIN) {
            return "better " + factor(1 / f);
        }
        return "same";
    }

    /** "12%" below a factor of two, "×3.4" above. */
    static String factor(double f) {
        return f >= 2 ? String.format(Locale.ROOT, "×%.1f", f) : String.format(Locale.ROOT, "%.0f%%", (f - 1) * 100);
    }

    static Path write(Path resultsDir, String stem, Settings settings, List<String> machineNotes, Figures figures,
            List<LoadKey> loadKeys, List<String> failures) throws IOException {
        List<String> charts = writeCharts(resultsDir, stem, settings, figures, loadKeys);
        StringBuilder md = new StringBuilder();
        md.append("# Paddock against ZooKeeper 3.9.5: ").append(settings.mode()).append(" run ").append(stem).append("\n\n");
        md.append("Every figure was taken against both servers in the same run: both as child JVMs with the same heap "
                + "and GC flags, data directories on the same disk, fsync at its default (on), ")
                .append(settings.rounds()).append(" round(s) per section interleaved, the first server alternating (Paddock, ZooKeeper; ZooKeeper, Paddock; ...). "
                + "A figure is the median over rounds; **ratio = Paddock / ZooKeeper**; spread is the range of the "
                + "per-round ratios. For latencies and sizes a ratio below 1 favours Paddock, for rates above 1 does. "
                + "'worse'/'better' marks a difference beyond 5 %, in Paddock's direction.\n\n");
        md.append("## Machine\n\n");
        for (String n : machineNotes) {
            md.append("- ").append(n).append('\n');
        }
        md.append('\n');

        List<Figures.Row> worse = new ArrayList<>();
        for (Figures.Row r : figures.all()) {
            if (r.complete() && r.paddockWorseFactor() > SAME_WITHIN) {
                worse.add(r);
            }
        }
        worse.sort(Comparator.comparingDouble(Figures.Row::paddockWorseFactor).reversed());
        md.append("## Where Paddock is worse than ZooKeeper (slower, larger), worst first\n\n");
        if (worse.isEmpty()) {
            md.append("Nowhere beyond 5 %.\n\n");
        } else {
            md.append("| section | item | metric | Paddock | ZooKeeper | ratio | spread | worse by |\n");
            md.append("| --- | --- | --- | ---: | ---: | ---: | --- | ---: |\n");
            for (Figures.Row r : worse) {
                double[] range = r.ratioRange();
                md.append("| ").append(r.section).append(" | ").append(r.item).append(" | ").append(r.metric)
                        .append(" (").append(r.unit).append(") | ").append(fmt(r.median(ServerKind.PADDOCK)))
                        .append(" | ").append(fmt(r.median(ServerKind.ZOOKEEPER))).append(" | ")
                        .append(ratio(r.ratio())).append(" | ").append(ratio(range[0])).append("–").append(ratio(range[1]))
                        .append(" | ").append(factor(r.paddockWorseFactor()))
                        .append(" |\n");
            }
            md.append('\n');
        }

        for (Map.Entry<String, String> section : SECTION_TITLES.entrySet()) {
            List<Figures.Row> rows = figures.rows(section.getKey());
            if (rows.isEmpty()) {
                continue;
            }
            md.append("## ").append(section.getValue()).append("\n\n");
            md.append(sectionNote(section.getKey(), settings)).append("\n\n");
            md.append("| item | metric | Paddock | ZooKeeper | ratio | spread | Paddock | note |\n");
            md.append("| --- | --- | ---: | ---: | ---: | --- | --- | --- |\n");
            for (Figures.Row r : rows) {
                double[] range = r.ratioRange();
                md.append("| ").append(r.item).append(" | ").append(r.metric).append(" (").append(r.unit).append(") | ")
                        .append(fmt(r.median(ServerKind.PADDOCK))).append(" | ")
                        .append(fmt(r.median(ServerKind.ZOOKEEPER))).append(" | ").append(ratio(r.ratio()))
                        .append(" | ").append(ratio(range[0])).append("–").append(ratio(range[1])).append(" | ")
                        .append(verdict(r)).append(" | ").append(r.note).append(" |\n");
            }
            md.append('\n');
            if (section.getKey().equals("load")) {
                for (String c : charts) {
                    md.append("![").append(c).append("](").append(c).append(")\n\n");
                }
            }
        }
        if (!failures.isEmpty()) {
            md.append("## Failures\n\n");
            for (String f : failures) {
                md.append("- ").append(f.replace("\n", " ")).append('\n');
            }
            md.append('\n');
        }
        Path file = resultsDir.resolve(stem + ".md");
        Files.writeString(file, md.toString());
        writeTsv(resultsDir.resolve(stem + ".tsv"), figures);
        return file;
    }

    private static String sectionNote(String section, Settings s) {
        return switch (section) {
            case "jmh" -> "Mean and sampled percentiles per operation, µs, after " + s.serverWarmupMs()
                    + " ms of mixed operations to warm the server. " + s.jmhForks() + " fork(s), "
                    + s.jmhWarmupIterations() + " × " + s.jmhWarmupMs() + " ms warm-up, " + s.jmhMeasureIterations()
                    + " × " + s.jmhMeasureMs() + " ms measured. multi3 = check + 2 setData; watchRoundTrip = exists "
                    + "with a watch, setData, wait for the event.";
            case "load" -> "After " + s.serverWarmupMs() + " ms of mixed operations to warm the server: "
                    + s.loadSessions() + " sessions, in flight per session " + s.loadInFlightPerSession()
                    + ", getData/setData on " + s.loadKeys() + " keys picked at random, " + s.loadWarmupMs()
                    + " ms warm-up then " + s.loadMeasureMs() + " ms measured per point.";
            case "latency" -> latencyNote(s);
            case "fanout" -> s.fanoutSessions().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" and "))
                    + " sessions (raw protocol on one selector thread) each with a data "
                    + "watch on one node; one setData; time from sending it to the last (and median) notification; "
                    + "median of " + s.fanoutRepeats() + " repeats.";
            case "churn" -> s.churnThreads() + " threads, each connecting a session (raw protocol) and closing it, "
                    + s.churnMeasureMs() + " ms measured.";
            case "tls" -> "The load generator as in the load section, over TLS 1.3 (port unification, one EC certificate,"
                    + " no client certificates; ZooKeeper on its Netty connection factory), with ssl.sslProvider JDK"
                    + " and OPENSSL; " + s.loadSessions() + " sessions.";
            case "scale" -> s.scaleZnodes() + " znodes of " + s.scaleDataBytes() + " bytes under /scale/dA/eB/nC. Live "
                    + "heap after a full GC (jcmd GC.class_histogram); on-disk size of dataDir after stop (allocated "
                    + "blocks); restart = process spawn to the first getData answered on the last znode created.";
            case "jfr" -> "From each server's recording over its whole run in the section (warm-up and every point "
                    + "included), every jdk.FileForce event recorded (threshold 0): fsyncs per second between the first "
                    + "and the last fsync, those over 10 ms, the longest; G1 pauses (jdk.GCPhasePause). Fewer fsyncs "
                    + "per second for the same load mean bigger groups per fsync (compare the load figures beside them).";
            case "ensemble" -> s.ensembleMembers() + " members of each server (" + s.ensembleHeap() + " heap each, fsync "
                    + "on), " + s.ensembleSessions() + " sessions spread evenly over the members, in flight per session "
                    + s.ensembleInFlightPerSession() + ", setData then getData of 100 bytes on " + s.loadKeys()
                    + " keys, " + s.loadWarmupMs() + " ms warm-up then " + s.loadMeasureMs() + " ms measured per "
                    + "point. Server CPU is that of all members together, per operation.";
            default -> "";
        };
    }

    private static String latencyNote(Settings s) {
        LatencySettings l = LatencySettings.forMode(s.mode());
        return "Both servers get the same requests at the same rate, half of ZooKeeper's closed-loop peak for the "
                + "mix and payload (found once per run: the note on 'achieved rate' says how), on a fixed schedule "
                + "spread round robin over " + l.sessions() + " sessions; latency runs from the time a request was "
                + "due, not from when it was sent, so a stall counts for every request due during it. At most "
                + l.maxOutstandingPerSession() + " requests outstanding per session: a request due while its session "
                + "is full is not sent and counted as missed (the note says so: that server did not keep up). After "
                + s.serverWarmupMs() + " ms of mixed operations to warm the server, " + l.warmupMs() + " ms at the rate "
                + "then " + l.measureMs() + " ms measured per point, getData/setData on " + s.loadKeys() + " keys. "
                + "Harness send lag: how late the sender itself was (the machine is shared). Issue 16's goal: "
                + "p99 and p99.9 ratios at most 0.5.";
    }

    private static void writeTsv(Path file, Figures figures) throws IOException {
        StringBuilder tsv = new StringBuilder("section\titem\tmetric\tunit\tserver\tround\tvalue\n");
        for (Figures.Row r : figures.all()) {
            for (Map.Entry<ServerKind, Map<Integer, Double>> byServer : r.values.entrySet()) {
                for (Map.Entry<Integer, Double> v : byServer.getValue().entrySet()) {
                    tsv.append(r.section).append('\t').append(r.item).append('\t').append(r.metric).append('\t')
                            .append(r.unit).append('\t').append(byServer.getKey().name()).append('\t')
                            .append(v.getKey()).append('\t').append(v.getValue()).append('\n');
                }
            }
        }
        Files.writeString(file, tsv.toString());
    }

    private static List<String> writeCharts(Path dir, String stem, Settings settings, Figures figures,
            List<LoadKey> keys) throws IOException {
        Map<String, Figures.Row> byKey = new LinkedHashMap<>();
        for (Figures.Row r : figures.rows("load")) {
            byKey.put(r.item + "\u0000" + r.metric, r);
        }
        List<String> files = new ArrayList<>();
        if (keys.isEmpty()) {
            return files;
        }
        for (String mix : settings.loadMixes()) {
            List<Chart.Panel> panels = new ArrayList<>();
            for (int payload : settings.loadPayloadBytes()) {
                List<Chart.Series> series = new ArrayList<>();
                for (ServerKind kind : ServerKind.values()) {
                    for (String metric : List.of("p99", "p50")) {
                        List<double[]> pts = new ArrayList<>();
                        for (LoadKey k : keys) {
                            if (!k.mix().equals(mix) || k.payloadBytes() != payload) {
                                continue;
                            }
                            Figures.Row tput = byKey.get(k.item() + "\u0000ops/s");
                            Figures.Row lat = byKey.get(k.item() + "\u0000" + metric);
                            if (tput != null && lat != null) {
                                pts.add(new double[] {tput.median(kind), lat.median(kind)});
                            }
                        }
                        series.add(new Chart.Series(kind.label + " " + metric, kind == ServerKind.PADDOCK
                                ? Chart.PADDOCK : Chart.ZOOKEEPER, metric.equals("p50"), pts));
                    }
                }
                panels.add(new Chart.Panel(payloadLabel(payload) + " payload", series));
            }
            String name = stem + "-load-" + mix + ".png";
            Chart.write(dir.resolve(name), Settings.mixLabel(mix) + ": latency by throughput (points: in-flight "
                    + "levels; solid p99, dashed p50)", "throughput (ops/s)", "latency (ms)", panels);
            files.add(name);
        }
        return files;
    }

    static String payloadLabel(int bytes) {
        return bytes % 1024 == 0 ? (bytes / 1024) + " KiB" : bytes + " B";
    }
}
