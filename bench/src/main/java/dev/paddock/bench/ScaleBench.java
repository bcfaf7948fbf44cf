package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.zookeeper.KeeperException;

/**
 * The scale section (issue 16's heap, restart and on-disk rows): fills a server with N znodes of 100 B,
 * then restarts it twice and times the first read answered each time:
 *
 * <ol>
 * <li><b>from the log only</b>: both servers run with {@value #SNAP_COUNT_PROPERTY} so large that no
 *     snapshot is taken during the fill, so the first restart replays every logged create (ZooKeeper
 *     starts with the empty {@code snapshot.0} it wrote when it first started; Paddock with none). Each then
 *     writes a snapshot of what it loaded, as ZooKeeper's start-up does: ZooKeeper before it serves,
 *     Paddock in the background while it serves; the section waits for that file.</li>
 * <li><b>from the snapshot</b>: the second restart finds the whole state in that snapshot and no entry
 *     after it in the log.</li>
 * </ol>
 *
 * The live heap is measured after the second restart (a full GC first), where it is the tree's alone: after
 * the fill without a snapshot Paddock still holds every logged entry in memory.
 *
 * <p>The data directory is listed file by file (apparent and allocated size) after the fill and after the
 * start-up snapshot, into the run's logs folder, so the report can say exactly what each restart read and
 * what the disk holds (snapshots, logs, preallocation).
 */
final class ScaleBench {
    /** Read by both servers (ZooKeeper's SyncRequestProcessor, Paddock's config as zoo.cfg's snapCount). */
    static final String SNAP_COUNT_PROPERTY = "zookeeper.snapCount";
    /** Larger than any fill here: no snapshot falls due while filling. */
    private static final int NO_SNAPSHOT_COUNT = 1_000_000_000;
    private static final long RESTART_TIMEOUT_S = 600;

    private final Settings settings;
    private final Environment env;
    private final Figures figures;
    private final Path logsDir;
    /** JVM flags for one server start by its name (JFR when asked), the same for both servers. */
    private final Function<String, List<String>> extraFlags;
    private final Consumer<String> log;

    ScaleBench(Settings settings, Environment env, Figures figures, Path logsDir,
               Function<String, List<String>> extraFlags, Consumer<String> log) {
        this.settings = settings;
        this.env = env;
        this.figures = figures;
        this.logsDir = logsDir;
        this.extraFlags = extraFlags;
        this.log = log;
    }

    /**
     * Replaces the plain server the harness started (it snapshots at the default snapCount) by one that takes
     * no snapshot while filling, runs the section and returns the live server of the last restart.
     */
    /** How long no snapshot being written counts as none coming (the start-up one begins once the log is applied). */
    private static final long SETTLE_MS = 3_000;

    ServerProcess run(ServerProcess plain, Path dir, int round) throws Exception {
        ServerKind kind = plain.kind;
        plain.close();
        BenchMain.deleteTree(plain.dataDir);
        String item = String.format(Locale.ROOT, "%,d znodes", settings.scaleZnodes());
        ServerProcess server = ServerProcess.start(kind, dir, env, settings.serverHeap(), flags("scale"));
        long heapEmpty;
        try {
            heapEmpty = fill(server, item, round);
        } finally {
            server.close();
        }
        DiskUsage afterFill = DiskUsage.of(server.dataDir);
        record(kind, round, "after the fill", afterFill);
        addDisk(item, kind, round, "after the fill", afterFill);

        ServerProcess fromLog = restart(kind, dir, round, item, "restart from the log only, to first read",
                "scale-restart-log", afterFill);
        try {
            awaitStartupSnapshot(fromLog, afterFill);
        } finally {
            fromLog.close();
        }
        // Listed after the stop: a server cuts its open log segment's preallocation when it closes.
        DiskUsage withSnapshot = DiskUsage.of(server.dataDir);
        record(kind, round, "after the first restart and its start-up snapshot", withSnapshot);
        addDisk(item, kind, round, "with the start-up snapshot", withSnapshot);
        figures.add("scale", item, "newest snapshot (apparent size)", "MB", true, kind, round,
                newestSnapshotBytes(withSnapshot) / 1e6);
        ServerProcess fromSnapshot = restart(kind, dir, round, item, "restart from the snapshot, to first read",
                "scale-restart-snapshot", withSnapshot);
        try {
            awaitSnapshotsSettled(fromSnapshot, withSnapshot);
            heap(fromSnapshot, item, round, heapEmpty);
        } catch (Exception e) {
            fromSnapshot.close();
            throw e;
        }
        return fromSnapshot;
    }

    private List<String> flags(String name) {
        List<String> flags = new ArrayList<>(extraFlags.apply(name));
        flags.add("-D" + SNAP_COUNT_PROPERTY + "=" + NO_SNAPSHOT_COUNT);
        return flags;
    }

    /** Fills the server; returns its live heap before the fill. */
    private long fill(ServerProcess server, String item, int round) throws Exception {
        int n = settings.scaleZnodes();
        long heapEmpty = server.liveHeapBytes(env);
        long t0 = System.nanoTime();
        ScaleLoader.populate(server.connectString(), n, settings.scaleDataBytes(), 4);
        double loadSec = (System.nanoTime() - t0) / 1e9;
        figures.add("scale", item, "creates during load", "per s", false, server.kind, round, n / loadSec);
        // With no snapshot yet, Paddock still holds every logged entry in memory (its log tail), ZooKeeper
        // the last 500 proposals: a figure of the log, not of the tree.
        figures.add("scale", item, "live heap after the fill, log not yet snapshotted", "MB", true, server.kind, round,
                server.liveHeapBytes(env) / 1e6);
        return heapEmpty;
    }

    /** The tree's cost: the live heap of the server restarted from its snapshot (nothing logged after it). */
    private void heap(ServerProcess server, String item, int round, long heapEmpty) throws Exception {
        long heapFull = server.liveHeapBytes(env);
        figures.add("scale", item, "live heap after full GC", "MB", true, server.kind, round, heapFull / 1e6);
        figures.add("scale", item, "heap per znode", "bytes", true, server.kind, round,
                (double) (heapFull - heapEmpty) / settings.scaleZnodes());
    }

    private void addDisk(String item, ServerKind kind, int round, String when, DiskUsage du) {
        figures.add("scale", item, "on disk " + when + " (allocated)", "MB", true, kind, round, du.allocated(null) / 1e6);
        figures.add("scale", item, "on disk " + when + " (apparent size)", "MB", true, kind, round,
                du.apparent(null) / 1e6);
        figures.add("scale", item, "log " + when + " (allocated)", "MB", true, kind, round, du.allocated("log") / 1e6);
        figures.add("scale", item, "snapshots " + when + " (apparent size)", "MB", true, kind, round,
                du.apparent("snapshot") / 1e6);
    }

    /** Writes the listing into the logs folder and the summary into the run's output. */
    private void record(ServerKind kind, int round, String when, DiskUsage du) throws IOException {
        String name = "scale-r" + round + "-" + kind.name().toLowerCase(Locale.ROOT) + "-files.txt";
        String text = kind.label + ", " + when + ": " + du.summary() + "\n" + du.listing();
        Files.writeString(logsDir.resolve(name), text, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        log.accept(kind.label + " data directory " + when + ": " + du.summary());
    }

    /** Spawns the server on the data the directory holds and times the first getData of the last leaf. */
    private ServerProcess restart(ServerKind kind, Path dir, int round, String item, String metric, String flagsName,
                                  DiskUsage before) throws Exception {
        ServerProcess restarted = ServerProcess.spawn(kind, dir, env, settings.serverHeap(), flags(flagsName));
        try {
            String probe = ScaleLoader.leaf(settings.scaleZnodes() - 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RESTART_TIMEOUT_S);
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no read answered within " + RESTART_TIMEOUT_S + " s of restart");
                }
                int err;
                try (RawProtocol.BlockingSession s = new RawProtocol.BlockingSession(restarted.port, 30_000, 5_000)) {
                    err = s.getData(probe);
                } catch (IOException notYet) {
                    Thread.sleep(2);
                    continue;
                }
                double ms = (System.nanoTime() - restarted.spawnNanos) / 1e6;
                figures.add("scale", item, metric, "ms", true, kind, round, ms);
                figures.note("scale", item, metric, kind.label + " read " + before.summary());
                if (err != 0) {
                    figures.note("scale", item, metric, kind.label + ": data not recovered ("
                            + KeeperException.Code.get(err) + ")");
                }
                return restarted;
            }
        } catch (Exception e) {
            restarted.close();
            throw e;
        }
    }

    /**
     * Before the heap is measured: a restart that replayed entries after the snapshot writes a start-up
     * snapshot (ZooKeeper before serving, Paddock while serving), whose capture is on the heap until the file
     * is written. Waits for such a snapshot to finish, or for {@link #SETTLE_MS} with none begun.
     */
    private void awaitSnapshotsSettled(ServerProcess server, DiskUsage before) throws Exception {
        long quietSince = System.nanoTime();
        long deadline = quietSince + TimeUnit.SECONDS.toNanos(RESTART_TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            DiskUsage now = DiskUsage.of(server.dataDir);
            boolean writing = now.files().stream().anyMatch(f -> f.kind().equals("snapshot being written"));
            if (writing) {
                quietSince = System.nanoTime();
            } else if (!before.snapshots().containsAll(now.snapshots())
                    || System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(SETTLE_MS)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException(server.kind.label + " still writing a snapshot " + RESTART_TIMEOUT_S + " s after restart");
    }

    /**
     * Waits until a snapshot that was not there before the restart is complete (no {@code .tmp} left):
     * ZooKeeper wrote it before serving, Paddock writes it while serving.
     */
    private DiskUsage awaitStartupSnapshot(ServerProcess server, DiskUsage before) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RESTART_TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            DiskUsage now = DiskUsage.of(server.dataDir);
            boolean writing = now.files().stream().anyMatch(f -> f.kind().equals("snapshot being written"));
            if (!writing && !before.snapshots().containsAll(now.snapshots())) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new IOException(server.kind.label + " wrote no snapshot within " + RESTART_TIMEOUT_S + " s of restart");
    }

    private static long newestSnapshotBytes(DiskUsage du) {
        long newestZxid = -1;
        long bytes = 0;
        for (DiskUsage.FileUsage f : du.files()) {
            if (f.kind().equals("snapshot")) {
                String name = Path.of(f.relativePath()).getFileName().toString();
                long zxid;
                try {
                    zxid = Long.parseUnsignedLong(name.substring("snapshot.".length()), 16);
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                if (zxid > newestZxid) {
                    newestZxid = zxid;
                    bytes = f.apparent();
                }
            }
        }
        return bytes;
    }
}
