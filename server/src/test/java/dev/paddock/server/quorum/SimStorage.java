package dev.paddock.server.quorum;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * An in-memory disk for the simulation: appends become durable only when the simulated fsync completes.
 * The log index is the production {@link LogTail}.
 */
final class SimStorage implements ReplicaStorage {
    long acceptedEpoch;
    int acceptedLeader = -1;
    long currentEpoch;
    /** Durable snapshot: the state at the base. */
    long snapshotDigest;
    final LogTail tail = new LogTail();
    int durableCount;
    /** Set by the simulation: called after every append so it can schedule the fsync. */
    Runnable onAppend = () -> { };
    /** Called with the epoch each time the current epoch is recorded, so the checks can see what was durable. */
    LongConsumer onEpochRecorded = epoch -> { };

    @Override
    public long acceptedEpoch() {
        return acceptedEpoch;
    }

    @Override
    public int acceptedLeader() {
        return acceptedLeader;
    }

    @Override
    public void acceptEpoch(long epoch, int leaderId) {
        acceptedEpoch = epoch;
        acceptedLeader = leaderId;
    }

    @Override
    public long currentEpoch() {
        return currentEpoch;
    }

    @Override
    public void setCurrentEpoch(long epoch) {
        currentEpoch = epoch;
        onEpochRecorded.accept(epoch);
    }

    @Override
    public long lastZxid() {
        return tail.lastZxid();
    }

    @Override
    public long durableZxid() {
        return durableCount == 0 ? tail.base() : tail.get(durableCount - 1).zxid();
    }

    @Override
    public long baseZxid() {
        return tail.base();
    }

    @Override
    public boolean contains(long zxid) {
        return tail.contains(zxid);
    }

    @Override
    public long floorZxid(long zxid) {
        return tail.floorZxid(zxid);
    }

    @Override
    public List<Entry> entries(long fromExclusive, long toInclusive) {
        return tail.entries(fromExclusive, toInclusive);
    }

    @Override
    public void append(Entry entry) {
        tail.append(entry);
        onAppend.run();
    }

    @Override
    public void truncateAfter(long zxid) {
        durableCount = Math.min(durableCount, tail.truncateAfter(zxid));
    }

    @Override
    public void resetTo(Snapshot snapshot) {
        tail.resetTo(snapshot.zxid());
        durableCount = 0;
    }

    /** The simulated fsync: everything appended so far is durable. Returns the durable zxid. */
    long flush() {
        durableCount = tail.size();
        return durableZxid();
    }

    /** A crash loses what was not yet durable. */
    void crash() {
        if (durableCount < tail.size()) {
            tail.truncateAfter(durableZxid());
        }
    }

    long base() {
        return tail.base();
    }

    /** True when {@code zxid} survives a crash here: in the snapshot, or logged and durable. */
    boolean holdsDurably(long zxid) {
        return zxid <= tail.base() || zxid <= durableZxid() && tail.contains(zxid);
    }

    boolean hasUnflushed() {
        return durableCount < tail.size();
    }

    /** Moves the base up to the applied {@code zxid}, which must be durable, keeping its digest as the snapshot. */
    void compact(long zxid, long digest) {
        if (zxid <= tail.base() || zxid > durableZxid()) {
            return;
        }
        durableCount -= tail.compactTo(zxid);
        snapshotDigest = digest;
    }
}
