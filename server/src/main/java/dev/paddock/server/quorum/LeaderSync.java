package dev.paddock.server.quorum;

import dev.paddock.server.quorum.Message.NewLeader;
import dev.paddock.server.quorum.Message.SnapshotChunk;
import dev.paddock.server.quorum.Message.SnapshotHeader;
import dev.paddock.server.quorum.Message.Sync;
import dev.paddock.server.quorum.Message.SyncEntries;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What a leader sends a learner to bring it up to its log, once the learner acknowledged the new epoch:
 * DIFF when the learner's last zxid is in the leader's history, TRUNC+DIFF when it went beyond it, SNAP when
 * too old; then NEWLEADER. A snapshot travels in chunks of {@code snapshotChunkBytes} and entries in messages
 * of about {@code syncBatchBytes}, so no message grows with the data (the learner reassembles the snapshot
 * before installing it). The entries of a DIFF may be older than the log's in-memory window: the storage
 * reads them back from disk.
 */
final class LeaderSync {
    private LeaderSync() {
    }

    /** Sends the sync for a learner whose last zxid is {@code theirs}; returns the zxid it is synced to. */
    static long send(Member member, Link link, long theirs, long newEpoch) {
        ReplicaStorage storage = member.storage;
        long last = storage.lastZxid();
        long base = storage.baseZxid();
        if (theirs >= base && (theirs == base || storage.contains(theirs)) && theirs <= last) {
            sendEntries(member, link, -1, storage.entries(theirs, last));
        } else if (theirs > base) {
            long floor = storage.floorZxid(theirs);
            sendEntries(member, link, floor, storage.entries(floor, last));
        } else {
            sendSnapshot(member, link, last);
        }
        link.send(new NewLeader(newEpoch, last, member.configVersion(), member.host.configText()));
        return last;
    }

    private static void sendSnapshot(Member member, Link link, long last) {
        Snapshot snapshot = member.host.snapshot();
        byte[] state = snapshot.state();
        CRC32C crc = new CRC32C();
        crc.update(state);
        link.send(new Sync(-1, new SnapshotHeader(snapshot.zxid(), state.length, (int) crc.getValue()), List.of()));
        int chunk = member.config.snapshotChunkBytes();
        for (int offset = 0; offset < state.length; offset += chunk) {
            link.send(new SnapshotChunk(offset, Arrays.copyOfRange(state, offset, Math.min(state.length, offset + chunk))));
        }
        List<Entry> after = member.storage.entries(snapshot.zxid(), last);
        for (List<Entry> batch : SyncBatches.of(after, member.config.syncBatchBytes())) {
            link.send(new SyncEntries(batch));
        }
    }

    /** A DIFF or TRUNC+DIFF: the first batch of entries in the Sync, the rest in SyncEntries. */
    private static void sendEntries(Member member, Link link, long truncateTo, List<Entry> entries) {
        List<List<Entry>> batches = SyncBatches.of(entries, member.config.syncBatchBytes());
        link.send(new Sync(truncateTo, null, batches.isEmpty() ? List.of() : batches.get(0)));
        for (int i = 1; i < batches.size(); i++) {
            link.send(new SyncEntries(batches.get(i)));
        }
    }
}
