package dev.paddock.server.storage;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.Txn;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.MarshallingException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up: loads the newest valid snapshot and replays the log after it, so the tree, the sessions, the
 * sequence counters and the zxid are back exactly.
 *
 * <ul>
 * <li>A torn last record (bad bytes at the end of the newest segment with no valid record after them) is
 *     cut off, with a log line naming the file and the offset.</li>
 * <li>A corrupt snapshot is skipped for the next older one, and reported; a corrupt record in the middle
 *     of the log is stepped over when the next valid record shows that nothing needed is missing (every
 *     lost entry is older than the snapshot in use), and reported.</li>
 * <li>Otherwise, when entries after the snapshot cannot all be read in sequence, start-up stops with a
 *     {@link RecoveryException} naming the file. Nothing is ever skipped silently.</li>
 * </ul>
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {
    }

    /**
     * Whether a logged entry with {@code zxid} may follow the one at {@code last} with nothing lost between
     * them: within an epoch zxids are consecutive; a new epoch starts anywhere above. (The glue simulation's
     * start-up applies the same rule to its simulated disk.)
     */
    public static boolean follows(long last, long zxid) {
        return zxid <= last + 1 || (zxid >>> 32) > (last >>> 32);
    }

    /**
     * The recovered state and what recovery found on the way. {@code replayed} entries were logged after the
     * snapshot; {@code stateMachine} holds them applied only when recovery replayed them ({@link #recover});
     * {@link #load} leaves it at the snapshot, for a member that applies entries only once they are known to
     * be committed, and keeps in memory only the newest of them, {@code entries} (within its
     * {@link ReplicaLog.TailBound}, in zxid order); {@code olderEntries} are the zxids of the others, which
     * stay on disk, {@code olderReconfigs} those of them that are reconfigurations (so a member finds its logged
     * configurations without reading the log back), and {@code loggedBytes} the payload of all of them. {@code lastSegment} and
     * {@code lastSegmentEnd} say where the newest segment's valid records end (null when there is no segment).
     * {@code applied}: the state machine holds every entry read ({@link #recover}, {@link #loadApplying}), so
     * it stands at {@code lastZxid}; otherwise at {@code snapshotZxid}.
     */
    public record Result(StateMachine stateMachine, Path snapshot, long snapshotZxid, int replayed,
                         long lastZxid, List<String> problems, long loadSnapshotMs, long replayMs,
                         List<Entry> entries, ZxidRuns olderEntries, ZxidRuns olderReconfigs, long loggedBytes,
                         Path lastSegment,
                         long lastSegmentEnd, boolean applied) {
    }

    /**
     * @param repair when set, cuts a torn tail and removes temporary files; the check tool passes false
     */
    public static Result recover(Path snapDir, Path logDir, boolean extendedTypesEnabled, boolean repair)
            throws IOException, RecoveryException {
        return read(snapDir, logDir, extendedTypesEnabled, repair, null, true);
    }

    /**
     * Like {@link #recover}, with the same checks, but leaves the state machine at the snapshot and returns
     * the entries after it unapplied (every one decoded once, so a record that does not decode stops
     * start-up here, naming its file and offset).
     */
    public static Result load(Path snapDir, Path logDir, boolean extendedTypesEnabled, boolean repair)
            throws IOException, RecoveryException {
        return load(snapDir, logDir, extendedTypesEnabled, repair, ReplicaLog.TailBound.DEFAULT);
    }

    /** Like {@link #load}, keeping in memory only the newest entries {@code window} allows. */
    public static Result load(Path snapDir, Path logDir, boolean extendedTypesEnabled, boolean repair,
                              ReplicaLog.TailBound window) throws IOException, RecoveryException {
        return read(snapDir, logDir, extendedTypesEnabled, repair, window, false);
    }

    /**
     * Like {@link #load}, but also applies every entry to the state machine as it is read, in the same pass:
     * for a server that knows every entry it logged is committed (a standalone server, whose log is its
     * quorum's), so start-up reads the log once instead of checking it here and reading it back to apply it.
     * The newest entries are still kept for the log, as {@link #load} keeps them; the result is
     * {@link Result#applied}.
     */
    public static Result loadApplying(Path snapDir, Path logDir, boolean extendedTypesEnabled, boolean repair,
                                      ReplicaLog.TailBound window) throws IOException, RecoveryException {
        return read(snapDir, logDir, extendedTypesEnabled, repair, window, true);
    }

    /** {@code apply}: apply every entry; {@code window} not null: keep the newest in memory too (for a log). */
    private static Result read(Path snapDir, Path logDir, boolean extendedTypesEnabled, boolean repair,
                               ReplicaLog.TailBound window, boolean apply) throws IOException, RecoveryException {
        List<String> problems = new ArrayList<>();
        if (repair) {
            removeTemporaryFiles(snapDir);
        }
        long t0 = System.nanoTime();
        List<Path> snapshots = LogFormat.list(snapDir, LogFormat.SNAPSHOT_PREFIX);
        StateMachine sm = null;
        Path used = null;
        long snapZxid = 0;
        List<String> badSnapshots = new ArrayList<>();
        for (int i = snapshots.size() - 1; i >= 0 && sm == null; i--) {
            Path file = snapshots.get(i);
            try {
                SnapshotFile.Loaded loaded = SnapshotFile.read(file, extendedTypesEnabled);
                sm = loaded.stateMachine();
                snapZxid = loaded.zxid();
                used = file;
            } catch (IOException e) {
                String msg = "snapshot " + file + " is corrupt: " + e.getMessage();
                LOG.error("{}; trying an older snapshot", msg);
                badSnapshots.add(msg);
                problems.add(msg);
            }
        }
        if (sm == null) {
            if (!snapshots.isEmpty()) {
                LOG.warn("No valid snapshot; replaying the whole log from an empty tree");
            }
            sm = new StateMachine(extendedTypesEnabled);
        } else {
            LOG.info("Loaded snapshot {} (zxid 0x{}, {} nodes, {} sessions)", used.getFileName(),
                    Long.toHexString(snapZxid), sm.tree().nodeCount(), sm.sessions().size());
        }
        long t1 = System.nanoTime();
        Replay replay = new Replay(snapZxid, badSnapshots, window);
        try (PipelinedApply applier = apply ? new PipelinedApply(sm) : null) {
            replay.applier = applier;
            replayLog(logDir, replay, problems, repair);
            if (applier != null) {
                applier.finish();
            }
        }
        Path lastSegment = null;
        long lastSegmentEnd = -1;
        List<Path> remaining = LogFormat.list(logDir, LogFormat.LOG_PREFIX);
        if (!remaining.isEmpty()) {
            lastSegment = remaining.get(remaining.size() - 1);
            // The replay just scanned it; scan again only when that scan met a problem (a repair may have
            // changed the file since, and a scan resumed after a bad record does not say where the first stops).
            lastSegmentEnd = lastSegment.equals(replay.cleanFile) ? replay.cleanEnd
                    : SegmentScanner.scan(lastSegment, null).validEnd();
        }
        long t2 = System.nanoTime();
        if (replay.count > 0 || used != null) {
            LOG.info("{} {} log entries after zxid 0x{}; last zxid 0x{}", apply ? "Replayed" : "Read", replay.count,
                    Long.toHexString(snapZxid), Long.toHexString(replay.last));
        }
        return new Result(sm, used, snapZxid, replay.count, replay.last, List.copyOf(problems),
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, replay.keptEntries(), replay.older, replay.olderReconfigs,
                replay.bytes,
                lastSegment, lastSegmentEnd, apply);
    }

    /** Reads every segment from the one that holds the first entry after the snapshot. */
    private static void replayLog(Path logDir, Replay replay, List<String> problems, boolean repair)
            throws IOException, RecoveryException {
        List<Path> segments = LogFormat.list(logDir, LogFormat.LOG_PREFIX);
        // Start at the newest segment that begins at or before the first entry needed.
        int start = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (LogFormat.zxidOf(segments.get(i), LogFormat.LOG_PREFIX) <= replay.snapZxid + 1) {
                start = i;
            }
        }
        for (int i = start; i < segments.size(); i++) {
            boolean last = i == segments.size() - 1;
            replaySegment(segments.get(i), last, replay, problems, repair);
        }
    }

    /**
     * Checks records in zxid order, and that none is missing after the snapshot; hands each to the applier
     * (when applying) and keeps the newest (when bounded).
     */
    private static final class Replay implements SegmentScanner.Visitor {
        final long snapZxid;
        final List<String> badSnapshots;
        final ReplicaLog.TailBound bound;
        /** Applies what is read, on its own thread; null when the entries are only kept. */
        PipelinedApply applier;
        /**
         * The newest records read (load only), as views of the mapped segments: a record is copied onto the heap
         * only if it is still among the newest at the end ({@link #keptEntries}), so a log far larger than the
         * window costs no copy of every payload. Older ones are only counted in {@code older}.
         */
        final ArrayDeque<Kept> window = new ArrayDeque<>();
        final ZxidRuns older = new ZxidRuns();
        final ZxidRuns olderReconfigs = new ZxidRuns();
        long windowBytes;
        long bytes;
        long last;
        int count;
        Path file;
        /** The last segment the replay found wholly valid, and where its records end. */
        Path cleanFile;
        long cleanEnd;

        Replay(long snapZxid, List<String> badSnapshots, ReplicaLog.TailBound bound) {
            this.snapZxid = snapZxid;
            this.badSnapshots = badSnapshots;
            this.bound = bound;
            this.last = snapZxid;
        }

        boolean follows(long zxid) {
            return Recovery.follows(last, zxid);
        }

        /** Keeps the newest records within the bound; the older ones are read back from disk when needed. */
        private void keep(long zxid, java.nio.ByteBuffer payload) {
            int length = payload.remaining();
            window.addLast(new Kept(zxid, payload));
            windowBytes += length;
            bytes += length;
            while (!window.isEmpty() && (window.size() > bound.maxEntries() || windowBytes > bound.maxBytes())) {
                Kept oldest = window.pollFirst();
                windowBytes -= oldest.payload().remaining();
                older.add(oldest.zxid());
                if (EntryPayload.opCode(oldest.payload()) == OpCode.RECONFIG.code) {
                    olderReconfigs.add(oldest.zxid());
                }
            }
        }

        /** The records kept, copied onto the heap, in zxid order. */
        List<Entry> keptEntries() {
            List<Entry> entries = new ArrayList<>(window.size());
            for (Kept k : window) {
                byte[] payload = new byte[k.payload().remaining()];
                k.payload().duplicate().get(payload);
                entries.add(new Entry(k.zxid(), payload));
            }
            return List.copyOf(entries);
        }

        private Txn decode(long zxid, long offset, java.nio.ByteBuffer payload) throws GapException {
            try {
                return EntryPayload.decode(zxid, payload).txn();
            } catch (MarshallingException e) {
                throw new GapException("record zxid 0x" + Long.toHexString(zxid) + " in " + file + " at offset "
                        + offset + " has a valid checksum but does not decode: " + e.getMessage());
            }
        }

        private void checkVersion(long zxid, long offset, java.nio.ByteBuffer payload) throws GapException {
            if (!EntryPayload.knownVersion(payload)) {
                throw new GapException("record zxid 0x" + Long.toHexString(zxid) + " in " + file + " at offset "
                        + offset + " is of an unknown record version (written by a newer Paddock?)");
            }
        }

        @Override
        public boolean wants(long zxid) {
            return zxid > last; // older ones are in the snapshot, or were read from an earlier segment
        }

        @Override
        public void record(long zxid, long offset, java.nio.ByteBuffer payload) throws IOException {
            if (zxid <= last) {
                return; // already in the snapshot, or replayed from an earlier segment
            }
            if (!follows(zxid)) {
                throw new GapException("entries 0x" + Long.toHexString(last + 1) + " to 0x"
                        + Long.toHexString(zxid - 1) + " are missing before " + file + " offset " + offset);
            }
            if (applier != null) {
                applier.accept(decode(zxid, offset, payload));
            } else {
                // Only the record version is checked here; the member decodes each entry when it applies it
                // (a record with a valid checksum that does not decode then stops the process, naming it).
                checkVersion(zxid, offset, payload);
            }
            if (bound != null) {
                keep(zxid, payload);
            }
            last = zxid;
            count++;
        }
    }

    /**
     * A record kept in the window, still a view of its segment: a mapping stays valid after its channel is
     * closed, for as long as the buffer is reachable, and recovery never writes a segment it has mapped (a torn
     * tail is cut after the scan, and bytes after the cut are never kept).
     */
    private record Kept(long zxid, java.nio.ByteBuffer payload) {
    }

    private static final class GapException extends IOException {
        GapException(String message) {
            super(message);
        }
    }

    private static void replaySegment(Path file, boolean last, Replay replay, List<String> problems, boolean repair)
            throws IOException, RecoveryException {
        replay.file = file;
        try {
            SegmentScanner.Outcome o = SegmentScanner.scan(file, replay);
            if (last && o.clean() && o.records() == 0 && repair) {
                LOG.info("Removing log segment {} that holds no record", file);
                Files.delete(file);
                return;
            }
            if (o.clean()) {
                replay.cleanFile = file;
                replay.cleanEnd = o.validEnd();
            }
            while (!o.clean()) {
                String where = file + " at offset " + o.badOffset() + " (" + o.problem() + ")";
                if (o.tornTail()) {
                    if (!last) {
                        // Complete segments were forced and cut before the next one began: this is damage.
                        if (o.badOffset() <= LogFormat.SEGMENT_HEADER_BYTES && o.records() == 0
                                && o.validEnd() == 0 && o.fileSize() <= LogFormat.SEGMENT_HEADER_BYTES) {
                            problems.add("empty segment " + file);
                            return;
                        }
                        String msg = "corrupt end of a segment that is not the last: " + where;
                        // The next segment's first entry shows whether anything is missing; recorded here.
                        problems.add(msg);
                        LOG.error(msg);
                        return;
                    }
                    String msg = "Truncating torn last record of " + file + " at offset " + o.badOffset() + " ("
                            + o.problem() + "); file size was " + o.fileSize();
                    problems.add(msg);
                    LOG.warn(msg);
                    if (repair) {
                        truncate(file, o.badOffset(), o.headerValid());
                    }
                    return;
                }
                // A valid record follows the bad region: go on only if nothing needed was lost in between.
                if (!replay.follows(o.resumeZxid())) {
                    throw new RecoveryException("Corrupt log record in " + where + ": entries after zxid 0x"
                            + Long.toHexString(replay.last) + " up to 0x" + Long.toHexString(o.resumeZxid() - 1)
                            + " cannot be read" + snapshotNote(replay, problems));
                }
                String msg = "Corrupt log record in " + where + "; every entry it held is covered by snapshot zxid 0x"
                        + Long.toHexString(replay.snapZxid) + ", going on at offset " + o.resumeOffset();
                problems.add(msg);
                LOG.warn(msg);
                o = SegmentScanner.scanFrom(file, o.resumeOffset(), replay);
            }
        } catch (GapException e) {
            throw new RecoveryException("Cannot recover: " + e.getMessage() + snapshotNote(replay, problems));
        }
    }

    private static String snapshotNote(Replay replay, List<String> problems) {
        return problems.isEmpty() ? "" : "; earlier problems: " + String.join("; ", problems);
    }

    private static void truncate(Path file, long offset, boolean headerValid) throws IOException {
        if (!headerValid || offset <= LogFormat.SEGMENT_HEADER_BYTES) {
            Files.delete(file);
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(offset);
            ch.force(true);
        }
    }

    private static void removeTemporaryFiles(Path snapDir) throws IOException {
        if (!Files.isDirectory(snapDir)) {
            return;
        }
        try (var files = Files.newDirectoryStream(snapDir, LogFormat.SNAPSHOT_PREFIX + "*.tmp")) {
            for (Path p : files) {
                LOG.info("Removing unfinished snapshot {}", p);
                Files.delete(p);
            }
        }
    }
}
