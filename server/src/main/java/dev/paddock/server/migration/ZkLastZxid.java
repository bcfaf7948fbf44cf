package dev.paddock.server.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The newest zxid a ZooKeeper data directory holds, found without restoring the tree: the newest snapshot's
 * name, or the last complete entry of the newest transaction log that has one, whichever is larger. On a
 * stopped ZooKeeper voter it bounds what that voter acknowledged (a voter logs a proposal before it
 * acknowledges it); on a stopped Paddock mirror (whose saved state is a ZooKeeper snapshot) it is where the
 * mirror stopped. The cut-over compares the two (README, "Migrating from ZooKeeper").
 *
 * @param zxid  the newest zxid, 0 when the directory holds nothing
 * @param where the file it was read from, or "nothing" when there is none
 */
public record ZkLastZxid(long zxid, String where) {

    /** Scans {@code dataDir}/{@code dataLogDir}'s {@code version-2}; an unreadable log is an ImportException. */
    public static ZkLastZxid of(Path dataDir, Path dataLogDir) throws IOException {
        ZkDataDir dir = ZkDataDir.of(dataDir, dataLogDir);
        long zxid = 0;
        String where = "nothing";
        List<ZkDataDir.Named> snapshots = dir.snapshots();
        if (!snapshots.isEmpty()) {
            ZkDataDir.Named newest = snapshots.get(snapshots.size() - 1);
            zxid = newest.zxid();
            where = newest.file().toString();
        }
        // The newest log may hold only its preallocated zeros (ZooKeeper rolls a log before writing to it).
        List<ZkDataDir.Named> logs = dir.logs();
        for (int i = logs.size() - 1; i >= 0; i--) {
            long last = lastEntry(logs.get(i).file());
            if (last >= 0) {
                if (last > zxid) {
                    zxid = last;
                    where = logs.get(i).file().toString();
                }
                break;
            }
        }
        return new ZkLastZxid(zxid, where);
    }

    /** The zxid of the file's last complete entry, -1 when it has none. */
    private static long lastEntry(Path log) throws IOException {
        long last = -1;
        try (ZkTxnLogReader reader = new ZkTxnLogReader(log)) {
            for (ZkTxn.Entry e = reader.next(); e != null; e = reader.next()) {
                last = e.zxid();
            }
        }
        return last;
    }

    /** One line for the operator: the zxid in hex, its epoch and counter, and the file. */
    public String describe() {
        return "lastZxid 0x" + Long.toHexString(zxid) + " (epoch " + (zxid >>> 32) + ", counter "
                + (zxid & 0xffffffffL) + ") from " + where;
    }
}
