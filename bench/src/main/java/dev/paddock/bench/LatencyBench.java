package dev.paddock.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code latency} section: tail latency of both servers at the same offered rate, half of ZooKeeper's
 * peak throughput, per mix and payload (issue 16's goal: p99 and p99.9 at most half of ZooKeeper's). The
 * closed-loop sections measure a faster server under more load; here both get the same requests on the same
 * schedule ({@link OpenLoop}), so the latencies compare like with like.
 *
 * <p>ZooKeeper's peak is found once per run, the first time the section runs, so every round drives both
 * servers at the same rates: from the {@code load} section's figures when it ran before in the same run (the
 * best of its in-flight levels, median over its rounds), otherwise by a closed loop of its own at the load
 * section's highest in-flight level against a ZooKeeper started for that alone.
 */
final class LatencyBench {
    static final String SECTION = "latency";
    /** Below this share of the target rate (or with any missed send) a server did not keep up. */
    private static final double KEEP_UP = 0.95;
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** ZooKeeper's closed-loop peak for one mix and payload, and where that figure came from. */
    record Target(double zookeeperPeak, String source) {
        double rate() {
            return zookeeperPeak / 2;
        }
    }

    private final Map<String, Target> targets = new LinkedHashMap<>();

    /**
     * Runs the section on {@code server} (started by the harness in {@code dir}); the first time, that server
     * is stopped while ZooKeeper's peak is measured alone and then started again. Returns the server measured,
     * for the harness to close.
     */
    ServerProcess section(ServerProcess server, Path dir, SectionRun run) throws Exception {
        ServerProcess measured = server;
        if (targets.isEmpty()) {
            Map<String, Target> fromLoad = fromLoadSection(run);
            if (fromLoad.size() == run.settings().loadMixes().size() * run.settings().loadPayloadBytes().size()) {
                targets.putAll(fromLoad);
            } else {
                server.close();
                targets.putAll(measurePeaks(dir.resolveSibling(SECTION + "-peak-zookeeper"), run));
                measured = ServerProcess.start(run.kind(), dir, run.env(), run.settings().serverHeap(),
                        run.recordingFlags().apply(SECTION));
            }
        }
        try {
            measure(measured, run);
            return measured;
        } catch (Exception | Error e) {
            measured.close();
            throw e;
        }
    }

    private static String key(String mix, int payload) {
        return mix + "/" + payload;
    }

    static String item(String mix, int payload) {
        return Settings.mixLabel(mix) + ", " + Report.payloadLabel(payload);
    }

    /** ZooKeeper's best closed-loop throughput per mix and payload among the load section's figures, if any. */
    private static Map<String, Target> fromLoadSection(SectionRun run) {
        Map<String, Target> found = new LinkedHashMap<>();
        List<Figures.Row> load = run.figures().rows("load");
        for (int payload : run.settings().loadPayloadBytes()) {
            for (String mix : run.settings().loadMixes()) {
                String prefix = item(mix, payload) + ", ";
                Figures.Row best = null;
                for (Figures.Row r : load) {
                    double z = r.median(ServerKind.ZOOKEEPER);
                    if (r.metric.equals("ops/s") && r.item.startsWith(prefix) && !Double.isNaN(z)
                            && (best == null || z > best.median(ServerKind.ZOOKEEPER))) {
                        best = r;
                    }
                }
                if (best != null) {
                    found.put(key(mix, payload), new Target(best.median(ServerKind.ZOOKEEPER),
                            "the load section's best point, " + best.item.substring(prefix.length())));
                }
            }
        }
        return found;
    }

    /** A ZooKeeper of its own, warmed as the load section's are, at the load section's highest in-flight level. */
    private static Map<String, Target> measurePeaks(Path dir, SectionRun run) throws Exception {
        Settings s = run.settings();
        int inFlight = s.loadInFlightPerSession().stream().max(Integer::compare).orElseThrow();
        String source = "closed loop at " + inFlight * s.loadSessions() + " in flight, measured by this section";
        Map<String, Target> found = new LinkedHashMap<>();
        ServerProcess zk = ServerProcess.start(ServerKind.ZOOKEEPER, dir, run.env(), s.serverHeap(), List.of());
        try {
            Warmup.run(zk.connectString(), 4, s.serverWarmupMs());
            try (LoadGenerator gen = new LoadGenerator(zk.connectString(), s.loadSessions(), s.loadKeys())) {
                for (int payload : s.loadPayloadBytes()) {
                    gen.prepare(payload);
                    for (String mix : s.loadMixes()) {
                        LoadGenerator.Point p = gen.run(Settings.readFraction(mix), payload, inFlight, s.loadWarmupMs(),
                                s.loadMeasureMs(), zk::cpuNanos);
                        found.put(key(mix, payload), new Target(p.opsPerSec(),
                                p.errors() > 0 ? source + ", " + p.errors() + " errors" : source));
                        System.out.printf(Locale.ROOT, "[bench] latency: ZooKeeper's peak for %s: %.0f ops/s%n",
                                item(mix, payload), p.opsPerSec());
                    }
                }
            }
        } finally {
            zk.close();
            run.keepServerLog(zk, SECTION + "-peak-zookeeper");
            BenchMain.deleteTree(dir);
        }
        return found;
    }

    private void measure(ServerProcess server, SectionRun run) throws Exception {
        Settings s = run.settings();
        LatencySettings ls = LatencySettings.forMode(s.mode());
        Warmup.run(server.connectString(), 4, s.serverWarmupMs());
        try (OpenLoopSessions sessions = new OpenLoopSessions(server.connectString(), ls.sessions(), s.loadKeys())) {
            for (int payload : s.loadPayloadBytes()) {
                sessions.prepare(payload);
                for (String mix : s.loadMixes()) {
                    Target t = targets.get(key(mix, payload));
                    OpenLoop.Plan plan = new OpenLoop.Plan(Settings.readFraction(mix), s.loadKeys(), t.rate(),
                            TimeUnit.MILLISECONDS.toNanos(ls.warmupMs()), TimeUnit.MILLISECONDS.toNanos(ls.measureMs()),
                            ls.maxOutstandingPerSession(), DRAIN_TIMEOUT_NANOS);
                    OpenLoop.Result r = OpenLoop.run(sessions, plan, OpenLoop.Ticker.SYSTEM, server::cpuNanos);
                    addFigures(run, item(mix, payload), t, r, ls);
                }
            }
        }
    }

    private static void addFigures(SectionRun run, String item, Target t, OpenLoop.Result r, LatencySettings ls) {
        Figures f = run.figures();
        ServerKind kind = run.kind();
        int round = run.round();
        String rate = "achieved rate";
        f.add(SECTION, item, rate, "ops/s", false, kind, round, r.achievedPerSec());
        f.note(SECTION, item, rate, "target " + Report.fmt(t.rate()) + " ops/s = half of ZooKeeper's peak "
                + Report.fmt(t.zookeeperPeak()) + " (" + t.source() + ")");
        if (r.achievedPerSec() < KEEP_UP * r.targetPerSec() || r.missedSends() > 0) {
            f.note(SECTION, item, rate, kind.label + " round " + round + " did not keep up: " + r.missedSends()
                    + " of " + r.scheduled() + " sends missed (session full at " + ls.maxOutstandingPerSession()
                    + " outstanding)");
        }
        if (r.errors() > 0) {
            f.note(SECTION, item, rate, kind.label + " round " + round + ": " + r.errors() + " errors");
        }
        Latencies l = r.latencies();
        f.add(SECTION, item, "p50", "ms", true, kind, round, l.percentileNanos(50) / 1e6);
        f.add(SECTION, item, "p99", "ms", true, kind, round, l.percentileNanos(99) / 1e6);
        f.add(SECTION, item, "p99.9", "ms", true, kind, round, l.percentileNanos(99.9) / 1e6);
        f.add(SECTION, item, "max", "ms", true, kind, round, l.maxNanos() / 1e6);
        run.addCpu(SECTION, item, BenchMain.SERVER_CPU, r.cpuMicrosPerOp());
        f.add(SECTION, item, "harness send lag p99.9", "ms", true, kind, round, r.sendLag().percentileNanos(99.9) / 1e6);
    }
}
