package dev.paddock.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.zookeeper.ZooKeeper;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * The harness: runs every section against Paddock and ZooKeeper interleaved, the one that goes first
 * alternating (round 1 Paddock then ZooKeeper, round 2 ZooKeeper then Paddock, ...: whatever the first
 * server of a run meets, a disk still writing back the build or a cold page cache, falls on both), then
 * writes the results file and charts.
 *
 * <pre>BenchMain --mode quick|full|smoke --paddock-jar JAR --lib DIR --results DIR [--sections a,b] [--jfr]
 *           [--mixes read100,read90,read50,write100] [--payloads 100,1024] [--inflight 1,8,64] [--rounds N]
 *           [--scale-znodes N]</pre>
 */
public final class BenchMain {
    public static final List<String> SECTIONS = List.of("jmh", "load", "latency", "fanout", "churn", "scale", "ensemble", "tls");
    /** The metric beside each throughput: server process CPU time (all threads) per operation. */
    static final String SERVER_CPU = "server CPU per op";

    private final Settings settings;
    private final Environment env;
    private final Set<String> sections;
    private final boolean jfr;
    private final Figures figures = new Figures();
    /** Holds ZooKeeper's peak rates across the rounds of the latency section. */
    private final LatencyBench latency = new LatencyBench();
    private final List<Report.LoadKey> loadKeys = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Path logsDir;
    private final String stem;
    private final long startNanos = System.nanoTime();

    BenchMain(Settings settings, Environment env, Set<String> sections, boolean jfr, String stem) {
        this.settings = settings;
        this.env = env;
        this.sections = sections;
        this.jfr = jfr;
        this.stem = stem;
        this.logsDir = env.resultsDir().resolve(stem + "-logs");
    }

    public static void main(String[] args) throws Exception {
        String mode = "quick";
        Path paddockJar = null;
        Path lib = null;
        Path results = Path.of("bench/results");
        Set<String> sections = new LinkedHashSet<>(SECTIONS);
        boolean jfr = false;
        List<String> mixes = null;
        List<Integer> payloads = null;
        List<Integer> inflight = null;
        Integer rounds = null;
        List<Integer> watchers = null;
        Integer scaleZnodes = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> mode = args[++i];
                case "--paddock-jar" -> paddockJar = Path.of(args[++i]);
                case "--lib" -> lib = Path.of(args[++i]);
                case "--results" -> results = Path.of(args[++i]);
                case "--sections" -> sections = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                case "--jfr" -> jfr = true;
                case "--mixes" -> mixes = List.of(args[++i].split(","));
                case "--payloads" -> payloads = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--inflight" -> inflight = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--watchers" -> watchers = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--scale-znodes" -> scaleZnodes = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (paddockJar == null || lib == null) {
            throw new IllegalArgumentException("--paddock-jar and --lib are required");
        }
        Settings settings = Settings.forMode(mode).withLoad(mixes, payloads, inflight).withFanout(watchers);
        if (rounds != null) {
            settings = settings.withRounds(rounds);
        }
        if (scaleZnodes != null) {
            settings = settings.withScaleZnodes(scaleZnodes);
        }
        Path report = run(settings, paddockJar, lib, results, sections, jfr);
        System.out.println("results: " + report);
        System.exit(0);
    }

    /** Runs the selected sections and returns the results file. */
    public static Path run(Settings settings, Path paddockJar, Path lib, Path results, Set<String> sections, boolean jfr)
            throws Exception {
        String stem = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + settings.mode();
        Files.createDirectories(results);
        new Environment(paddockJar, lib, results, null).check();
        // Run both servers from copies: the shared working tree's jars can be rebuilt mid-run, and a JVM whose
        // jar is replaced under it fails to load classes (and the run would mix two versions).
        Path work = results.resolve("work-" + stem);
        Path jarCopy = work.resolve("servers").resolve(paddockJar.getFileName());
        Path libCopy = work.resolve("servers").resolve("zookeeper-lib");
        Files.createDirectories(libCopy);
        Files.copy(paddockJar, jarCopy);
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, libCopy.resolve(jar.getFileName()));
            }
        }
        Environment env = new Environment(jarCopy, libCopy, results, work);
        return new BenchMain(settings, env, sections, jfr, stem).runAll();
    }

    private void log(String msg) {
        long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        System.out.printf(Locale.ROOT, "[bench %3d:%02d] %s%n", s / 60, s % 60, msg);
        System.out.flush();
    }

    private Path runAll() throws Exception {
        Files.createDirectories(env.workDir());
        Files.createDirectories(logsDir);
        List<String> machine = machineNotes();
        log("machine: " + String.join("; ", machine));
        try {
            for (String section : SECTIONS) {
                if (!sections.contains(section)) {
                    continue;
                }
                for (int round = 1; round <= settings.rounds(); round++) {
                    for (ServerKind kind : orderOfRound(round)) {
                        log(section + " round " + round + " " + kind.label);
                        try {
                            runSection(section, kind, round);
                        } catch (Exception e) {
                            String msg = section + " round " + round + " " + kind.label + ": " + e;
                            failures.add(msg);
                            log("FAILED " + msg);
                            e.printStackTrace(System.out);
                        }
                    }
                }
            }
        } finally {
            deleteTree(env.workDir());
        }
        machine.add("load average at the end: " + loadAverage());
        machine.add(String.format(Locale.ROOT, "run took %.1f min", (System.nanoTime() - startNanos) / 6e10));
        Path report = Report.write(env.resultsDir(), stem, settings, machine, figures, loadKeys, failures);
        log("wrote " + report);
        return report;
    }

    /** Paddock first in odd rounds, ZooKeeper first in even ones. */
    static List<ServerKind> orderOfRound(int round) {
        List<ServerKind> order = new ArrayList<>(List.of(ServerKind.values()));
        if (round % 2 == 0) {
            java.util.Collections.reverse(order);
        }
        return order;
    }

    private List<String> extraFlags(String section, ServerKind kind, int round) {
        if (!jfr) {
            return List.of();
        }
        return List.of("-XX:StartFlightRecording=settings=profile," + JfrSummary.FLAGS + ",dumponexit=true,filename="
                + recording(section, kind, round).toAbsolutePath());
    }

    private Path recording(String section, ServerKind kind, int round) {
        return logsDir.resolve(section + "-r" + round + "-" + kind.name().toLowerCase(Locale.ROOT) + ".jfr");
    }

    /** With --jfr: fsyncs and collector pauses over the server's whole run in a section, as figures. */
    private void summarizeRecording(String section, ServerKind kind, int round) {
        Path rec = recording(section, kind, round);
        if (!jfr || !Files.isRegularFile(rec)) {
            return;
        }
        try {
            JfrSummary s = JfrSummary.read(rec);
            String item = section + " section, whole server run";
            figures.add("jfr", item, "fsyncs per s (while fsyncing)", "per s", true, kind, round,
                    s.seconds() > 0 ? s.fsyncs() / s.seconds() : Double.NaN);
            figures.add("jfr", item, "fsyncs over 10 ms", "count", true, kind, round, s.fsyncsOver10Ms());
            figures.add("jfr", item, "longest fsync", "ms", true, kind, round, s.fsyncMaxMs());
            figures.add("jfr", item, "GC pauses", "count", true, kind, round, s.gcPauses());
            figures.add("jfr", item, "GC pause total", "ms", true, kind, round, s.gcPauseTotalMs());
            figures.add("jfr", item, "longest GC pause", "ms", true, kind, round, s.gcPauseMaxMs());
        } catch (IOException | RuntimeException e) {
            log("cannot read " + rec + ": " + e);
        }
    }

    private void runSection(String section, ServerKind kind, int round) throws Exception {
        Path dir = env.workDir().resolve(section + "-r" + round + "-" + kind.name().toLowerCase(Locale.ROOT));
        if (section.equals("ensemble")) {
            try {
                ensemble(kind, dir, round);
            } finally {
                keepMemberLogs(dir);
                deleteTree(dir);
            }
            return;
        }
        try {
            ServerProcess server = ServerProcess.start(kind, dir, env, settings.serverHeap(), extraFlags(section, kind, round));
            try {
                switch (section) {
                    case "jmh" -> jmh(server, round);
                    case "load" -> load(server, round);
                    case "fanout" -> fanout(server, round);
                    case "churn" -> churn(server, round);
                    case "scale" -> server = new ScaleBench(settings, env, figures, logsDir, n -> extraFlags(n, kind, round),
                            this::log).run(server, dir, round);
                    case "tls" -> server = TlsBench.section(server, dir, sectionRun(kind, round));
                    case "latency" -> server = latency.section(server, dir, sectionRun(kind, round));
                    default -> throw new IllegalArgumentException(section);
                }
            } finally {
                server.close();
            }
            summarizeRecording(section, kind, round);
        } finally {
            Path log = dir.resolve("server.log");
            if (Files.exists(log)) {
                Files.copy(log, logsDir.resolve(dir.getFileName() + "-server.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            deleteTree(dir);
        }
    }

    private SectionRun sectionRun(ServerKind kind, int round) {
        return new SectionRun(settings, env, figures, logsDir, kind, round, name -> extraFlags(name, kind, round));
    }

    // ---- sections -------------------------------------------------------------------------------------

    private void jmh(ServerProcess server, int round) throws Exception {
        Warmup.run(server.connectString(), 4, settings.serverWarmupMs());
        Options opt = new OptionsBuilder()
                .include(OpsBenchmark.class.getName() + "\\.(" + String.join("|", settings.jmhBenchmarks()) + ")$")
                .param("connect", server.connectString())
                .forks(settings.jmhForks())
                .warmupIterations(settings.jmhWarmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.jmhWarmupMs()))
                .measurementIterations(settings.jmhMeasureIterations())
                .measurementTime(TimeValue.milliseconds(settings.jmhMeasureMs()))
                .jvmArgs("-Xmx512m", "-XX:+UseG1GC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .shouldFailOnError(true)
                .output(logsDir.resolve("jmh-r" + round + "-" + server.kind.name().toLowerCase(Locale.ROOT) + "-jmh.log")
                        .toString())
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            Statistics st = r.getPrimaryResult().getStatistics();
            figures.add("jmh", name, "mean", "µs", true, server.kind, round, st.getMean());
            figures.add("jmh", name, "p50", "µs", true, server.kind, round, st.getPercentile(50));
            figures.add("jmh", name, "p99", "µs", true, server.kind, round, st.getPercentile(99));
            figures.add("jmh", name, "p99.9", "µs", true, server.kind, round, st.getPercentile(99.9));
        }
        if (results.size() != settings.jmhBenchmarks().size()) {
            throw new IllegalStateException("JMH ran " + results.size() + " of " + settings.jmhBenchmarks().size()
                    + " benchmarks");
        }
    }

    private void load(ServerProcess server, int round) throws Exception {
        Warmup.run(server.connectString(), 4, settings.serverWarmupMs());
        try (LoadGenerator gen = new LoadGenerator(server.connectString(), settings.loadSessions(), settings.loadKeys())) {
            for (int payload : settings.loadPayloadBytes()) {
                gen.prepare(payload);
                for (String mix : settings.loadMixes()) {
                    for (int w : settings.loadInFlightPerSession()) {
                        int total = w * settings.loadSessions();
                        String item = Settings.mixLabel(mix) + ", " + Report.payloadLabel(payload) + ", "
                                + total + " in flight";
                        LoadGenerator.Point p = gen.run(Settings.readFraction(mix), payload, w, settings.loadWarmupMs(),
                                settings.loadMeasureMs(), server::cpuNanos);
                        synchronized (loadKeys) {
                            Report.LoadKey key = new Report.LoadKey(mix, payload, total, item);
                            if (!loadKeys.contains(key)) {
                                loadKeys.add(key);
                            }
                        }
                        figures.add("load", item, "ops/s", "ops/s", false, server.kind, round, p.opsPerSec());
                        addCpu("load", item, SERVER_CPU, server.kind, round, p.cpuMicrosPerOp());
                        figures.add("load", item, "p50", "ms", true, server.kind, round, p.p50Ms());
                        figures.add("load", item, "p99", "ms", true, server.kind, round, p.p99Ms());
                        figures.add("load", item, "p99.9", "ms", true, server.kind, round, p.p999Ms());
                        if (p.errors() > 0) {
                            figures.note("load", item, "ops/s", server.kind.label + ": " + p.errors() + " errors");
                        }
                    }
                }
            }
        }
    }

    private void fanout(ServerProcess server, int round) throws Exception {
        for (int n : settings.fanoutSessions()) {
            fanout(server, round, n);
        }
    }

    /**
     * One count of watching sessions. Beside the server's figures it records the harness's own: the share of
     * the wave its selector thread was busy reading and its CPU per event. A harness busy for the whole wave
     * would be the bottleneck, and its cost would pull both servers' times (and the ratio) toward its own.
     */
    private void fanout(ServerProcess server, int round, int n) throws Exception {
        String path = "/fanout";
        String item = n + " watching sessions";
        ZooKeeper writer = Clients.connect(server.connectString(), 30_000);
        try (RawWatchers watchers = new RawWatchers(server.port, path)) {
            Clients.ensure(writer, path, new byte[0]);
            long t0 = System.nanoTime();
            watchers.open(n, 600_000);
            double openSec = (System.nanoTime() - t0) / 1e9;
            figures.add("fanout", item, "sessions opened", "per s", false, server.kind, round, n / openSec);
            figures.add("fanout", item, "harness waited for the server while opening", "% of sessions", true, server.kind,
                    round, 100.0 * watchers.openerWaits() / n);
            Latencies last = new Latencies();
            Latencies median = new Latencies();
            Latencies first = new Latencies();
            double busyShare = 0;
            long harnessCpu = 0;
            long waveCpu = 0;
            long cpuBefore = server.cpuNanos();
            for (int rep = 0; rep < settings.fanoutRepeats(); rep++) {
                watchers.arm(300_000);
                long waveCpuBefore = server.cpuNanos();
                long sent = System.nanoTime();
                writer.setData(path, new byte[100], -1);
                long[] arrivals = watchers.awaitEvents(300_000);
                long waveCpuAfter = server.cpuNanos();
                waveCpu = waveCpu < 0 || waveCpuBefore < 0 || waveCpuAfter < 0 ? -1 : waveCpu + waveCpuAfter - waveCpuBefore;
                Arrays.sort(arrivals);
                long lastNanos = arrivals[arrivals.length - 1] - sent;
                last.add(lastNanos);
                median.add(arrivals[arrivals.length / 2] - sent);
                first.add(arrivals[0] - sent);
                busyShare += (double) watchers.waveBusyNanos() / lastNanos;
                harnessCpu += watchers.waveCpuNanos();
            }
            long events = (long) n * settings.fanoutRepeats();
            // Per watcher: setting the watch (exists) and its event; then the event's wave alone (10 ms ticks).
            addCpu("fanout", item, "server CPU per event", server.kind, round,
                    ProcessCpu.microsPerOp(cpuBefore, server.cpuNanos(), events));
            addCpu("fanout", item, "server CPU per event, wave only", server.kind, round,
                    ProcessCpu.microsPerOp(waveCpu < 0 ? -1 : 0, waveCpu, events));
            addCpu("fanout", item, "harness CPU per event", server.kind, round, harnessCpu / 1e3 / events);
            figures.add("fanout", item, "harness busy share of the wave", "%", true, server.kind, round,
                    100 * busyShare / settings.fanoutRepeats());
            last.sorted();
            median.sorted();
            first.sorted();
            figures.add("fanout", item, "time to last event", "ms", true, server.kind, round, last.percentileNanos(50) / 1e6);
            figures.add("fanout", item, "time to median event", "ms", true, server.kind, round,
                    median.percentileNanos(50) / 1e6);
            figures.add("fanout", item, "time to first event", "ms", true, server.kind, round,
                    first.percentileNanos(50) / 1e6);
        } finally {
            writer.close();
        }
    }

    private void churn(ServerProcess server, int round) throws Exception {
        Churn.Result r = Churn.run(server.port, settings.churnThreads(), settings.churnWarmupMs(), settings.churnMeasureMs(),
                server::cpuNanos);
        String item = settings.churnThreads() + " threads";
        figures.add("churn", item, "sessions opened and closed", "per s", false, server.kind, round, r.cyclesPerSec());
        addCpu("churn", item, "server CPU per session", server.kind, round, r.cpuMicrosPerCycle());
        figures.add("churn", item, "open+close p50", "ms", true, server.kind, round, r.p50Ms());
        figures.add("churn", item, "open+close p99", "ms", true, server.kind, round, r.p99Ms());
    }

    /**
     * A 3-member ensemble of each server (members in child JVMs, fsync on, all on this machine's cores):
     * setData then getData of 100 bytes with the sessions spread evenly over the members, at each in-flight
     * level; server CPU is that of all members together.
     */
    private void ensemble(ServerKind kind, Path dir, int round) throws Exception {
        int members = settings.ensembleMembers();
        try (EnsembleProcesses e = EnsembleProcesses.start(kind, dir, env, members, settings.ensembleHeap(),
                id -> extraFlags("ensemble-m" + id, kind, round));
             LoadGenerator gen = new LoadGenerator(e.memberConnectStrings(), settings.ensembleSessions(),
                     settings.loadKeys())) {
            Warmup.run(String.join(",", e.memberConnectStrings()), 4, settings.serverWarmupMs());
            gen.prepare(100);
            // The synchronous warm-up reaches a few hundred writes per second through an ensemble: too few for
            // the JIT to finish the write path of three members, so the first point measured the compiler
            // (steady state was reached only after ~40 s of load). The measured load itself, as long again,
            // discarded, lets both servers' members compile what the points then measure.
            gen.run(0.5, 100, settings.ensembleInFlightPerSession().get(0), settings.serverWarmupMs(), 100, () -> 0L);
            for (String mix : List.of("write100", "read100")) {
                for (int w : settings.ensembleInFlightPerSession()) {
                    String item = members + " members, " + Settings.mixLabel(mix) + ", 100 B, "
                            + w * settings.ensembleSessions() + " in flight";
                    LoadGenerator.Point p = gen.run(Settings.readFraction(mix), 100, w, settings.loadWarmupMs(),
                            settings.loadMeasureMs(), e::cpuNanos);
                    figures.add("ensemble", item, "ops/s", "ops/s", false, kind, round, p.opsPerSec());
                    addCpu("ensemble", item, SERVER_CPU, kind, round, p.cpuMicrosPerOp());
                    figures.add("ensemble", item, "p50", "ms", true, kind, round, p.p50Ms());
                    figures.add("ensemble", item, "p99", "ms", true, kind, round, p.p99Ms());
                    if (p.errors() > 0) {
                        figures.note("ensemble", item, "ops/s", kind.label + ": " + p.errors() + " errors");
                    }
                }
            }
        }
    }

    private void keepMemberLogs(Path dir) throws IOException {
        for (int id = 1; id <= settings.ensembleMembers(); id++) {
            Path log = dir.resolve("m" + id).resolve("server.log");
            if (Files.exists(log)) {
                Files.copy(log, logsDir.resolve(dir.getFileName() + "-m" + id + "-server.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** A CPU figure, left out when /proc could not tell (another OS, a process gone). */
    private void addCpu(String section, String item, String metric, ServerKind kind, int round, double micros) {
        if (!Double.isNaN(micros)) {
            figures.add(section, item, metric, "µs", true, kind, round, micros);
        }
    }

    // ---- machine notes ----------------------------------------------------------------------------------

    private List<String> machineNotes() throws IOException {
        List<String> notes = new ArrayList<>();
        notes.add("cores: " + Runtime.getRuntime().availableProcessors() + " (" + cpuModel() + ")");
        notes.add("memory: " + memTotal());
        int probes = settings.mode().equals("smoke") ? 20 : 200;
        for (boolean prealloc : new boolean[] {false, true}) {
            FsyncProbe.Result f = FsyncProbe.measure(env.workDir(), probes, prealloc);
            notes.add(String.format(Locale.ROOT, "fsync (FileChannel.force) after a 4 KiB %s on the data disk (%s): "
                    + "p50 %.3f ms, p99 %.3f ms, mean %.3f ms over %d", prealloc
                    ? "overwrite in a preallocated file" : "append", env.workDir().toAbsolutePath().getParent(),
                    f.p50Ms(), f.p99Ms(), f.meanMs(), f.count()));
        }
        notes.add("load average at the start: " + loadAverage() + " (machine shared with other builds: figures are noisy)");
        notes.add("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "; server flags (both): " + String.join(" ", ServerProcess.commonJvmFlags(settings.serverHeap()))
                + (jfr ? " + JFR recording (both)" : ""));
        notes.add("Paddock: " + env.paddockJar().getFileName() + gitCommit() + "; ZooKeeper: org.apache.zookeeper:zookeeper:"
                + org.apache.zookeeper.Version.getFullVersion().split("[ ,]")[0] + " (ZooKeeperServerMain)");
        notes.add("harness JVM: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return notes;
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown cpu");
        } catch (IOException | UncheckedIOException e) {
            return "unknown cpu";
        }
    }

    private static String memTotal() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal")).map(l -> {
                long kb = Long.parseLong(l.replaceAll("\\D", ""));
                return String.format(Locale.ROOT, "%.1f GiB", kb / 1048576.0);
            }).findFirst().orElse("unknown");
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? " at commit " + out : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
