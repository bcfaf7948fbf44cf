package dev.paddock.server.migration;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Restores ZooKeeper's state from its files as ZooKeeper's {@code FileTxnSnapLog.restore} does: the newest
 * snapshot that reads whole (an unreadable one is reported and the next older tried), then every logged
 * transaction after the snapshot's zxid, applied the way replay applies them (see {@link ZkTree}), then the
 * ephemerals of sessions the session table no longer holds removed, as ZooKeeper's {@code loadData} does.
 *
 * <p>Stricter than ZooKeeper where ZooKeeper would silently lose data: entries after the snapshot must follow
 * one another with no zxid missing (within an epoch they are consecutive), and every node's ACL must be
 * known once replay is over.
 */
final class ZkRestore {
    /** ZooKeeper tries at most this many snapshots. */
    private static final int MAX_SNAPSHOTS_TRIED = 100;

    /** The restored state and what was read on the way. */
    record Restored(ZkTree tree, Map<Long, Integer> sessions, long snapshotZxid, long lastZxid, long replayed,
                    long firstReplayedZxid, List<String> filesRead, List<String> problems, String digestCheck) {
    }

    private ZkRestore() {
    }

    static Restored restore(ZkDataDir dir, boolean extendedTypes) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> filesRead = new ArrayList<>();
        ZkSnapshotReader.Snapshot snap = newestReadable(dir, extendedTypes, problems);
        filesRead.add(snap.file().toString());
        Replay replay = new Replay(snap.tree(), snap.sessions(), snap.zxid());
        for (ZkDataDir.Named log : logsAfter(dir.logs(), snap.zxid())) {
            filesRead.add(log.file().toString());
            try (ZkTxnLogReader reader = new ZkTxnLogReader(log.file())) {
                for (ZkTxn.Entry e = reader.next(); e != null; e = reader.next()) {
                    replay.offer(e, log, problems);
                }
                if (reader.end().startsWith("partial")) {
                    problems.add(log.file() + ": " + reader.end() + "; ZooKeeper ignores it too");
                }
            }
        }
        String digestCheck = checkDigest(snap.tree(), replay.lastEntry, problems);
        removeOrphanEphemerals(snap.tree(), replay.sessions, replay.last);
        checkAcls(snap.tree(), snap.file().toString());
        return new Restored(snap.tree(), replay.sessions, snap.zxid(), replay.last, replay.applied, replay.first,
                filesRead, problems, digestCheck);
    }

    /**
     * Compares the restored tree with the digest ZooKeeper logged with the last transaction (3.6+, digests
     * on): once replay is over the fuzziness is gone, so they must agree. A mismatch is noted, not fatal, as in
     * ZooKeeper, which only logs and counts it.
     */
    private static String checkDigest(ZkTree tree, ZkTxn.Entry last, List<String> problems) {
        if (last == null || !last.digested()) {
            return "not checked (the last transaction carries no digest)";
        }
        long mine = ZkDigest.of(tree);
        if (mine == last.digest()) {
            return "matches ZooKeeper's digest at 0x" + Long.toHexString(last.zxid());
        }
        String note = "tree digest 0x" + Long.toHexString(mine) + " differs from ZooKeeper's 0x"
                + Long.toHexString(last.digest()) + " at 0x" + Long.toHexString(last.zxid());
        problems.add(note);
        return "MISMATCH: " + note;
    }

    private static ZkSnapshotReader.Snapshot newestReadable(ZkDataDir dir, boolean extendedTypes,
                                                            List<String> problems) throws IOException {
        if (dir.snapshots().isEmpty()) {
            throw new ImportException("no ZooKeeper snapshot in " + dir.snapDir() + " but " + dir.logs().size()
                    + " transaction logs in " + dir.logDir() + " (ZooKeeper refuses to start on this too)");
        }
        List<ZkDataDir.Named> snaps = dir.snapshots();
        for (int i = snaps.size() - 1, tried = 0; i >= 0 && tried < MAX_SNAPSHOTS_TRIED; i--, tried++) {
            ZkDataDir.Named s = snaps.get(i);
            try {
                return ZkSnapshotReader.read(s.file(), s.zxid(), extendedTypes);
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        throw new ImportException("no readable ZooKeeper snapshot in " + dir.snapDir() + ": "
                + String.join("; ", problems));
    }

    /** The newest log starting at or before the snapshot's zxid, and every later one (FileTxnLog.getLogFiles). */
    static List<ZkDataDir.Named> logsAfter(List<ZkDataDir.Named> logs, long snapZxid) {
        int start = 0;
        for (int i = 0; i < logs.size(); i++) {
            if (logs.get(i).zxid() <= snapZxid) {
                start = i;
            }
        }
        return logs.subList(start, logs.size());
    }

    /** Applies entries after the snapshot, checking that none is missing. */
    private static final class Replay {
        private final ZkTree tree;
        private final Map<Long, Integer> sessions;
        private final long snapZxid;
        private long last;
        private long applied;
        private long first = -1;
        private ZkTxn.Entry lastEntry;

        Replay(ZkTree tree, Map<Long, Integer> sessions, long snapZxid) {
            this.tree = tree;
            this.sessions = sessions;
            this.snapZxid = snapZxid;
            this.last = snapZxid;
        }

        void offer(ZkTxn.Entry e, ZkDataDir.Named log, List<String> problems) throws ImportException {
            if (e.zxid() <= snapZxid) {
                return;
            }
            if (e.zxid() <= last) {
                // ZooKeeper applies such an entry and logs "highestZxid > next log"; so does the import.
                problems.add(log.file() + ": zxid 0x" + Long.toHexString(e.zxid()) + " after 0x"
                        + Long.toHexString(last));
            } else if (!follows(last, e.zxid())) {
                throw new ImportException(log.file() + ": transactions 0x" + Long.toHexString(last + 1)
                        + " to 0x" + Long.toHexString(e.zxid() - 1) + " are missing (the next one read is 0x"
                        + Long.toHexString(e.zxid()) + ")");
            }
            if (first < 0) {
                first = e.zxid();
            }
            ZkApply.apply(tree, sessions, e);
            if (e.zxid() > last) {
                lastEntry = e;
            }
            last = Math.max(last, e.zxid());
            applied++;
        }

        /** Within an epoch zxids are consecutive; a new epoch starts anywhere above. */
        private static boolean follows(long last, long zxid) {
            return zxid == last + 1 || (zxid >>> 32) > (last >>> 32);
        }
    }

    /** ZooKeeper's loadData kills the sessions whose ephemerals outlived them, at the last zxid, untracked. */
    private static void removeOrphanEphemerals(ZkTree tree, Map<Long, Integer> sessions, long zxid) {
        for (Long owner : Set.copyOf(tree.ephemerals.keySet())) {
            if (!sessions.containsKey(owner)) {
                tree.killSession(owner, null, zxid);
            }
        }
    }

    private static void checkAcls(ZkTree tree, String snapshot) throws ImportException {
        for (Map.Entry<String, ZkNode> e : tree.nodes.entrySet()) {
            if (e.getValue().acl == null) {
                throw new ImportException(snapshot + ": node \"" + e.getKey() + "\" refers to an ACL that the"
                        + " snapshot's ACL cache does not hold, and no later transaction sets it");
            }
        }
    }
}
