package dev.paddock.server.quorum;

import java.util.ArrayList;
import java.util.List;

/** An in-memory disk for the simulation: appends become durable only when the simulated fsync completes. */
final class SimStorage implements ReplicaStorage {
    long acceptedEpoch;
    int acceptedLeader = -1;
    long currentEpoch;
    long base;
    /** Durable snapshot: the state at {@link #base}. */
    long snapshotDigest;
    final List<Entry> log = new ArrayList<>();
    int durableCount;
    /** Set by the simulation: called after every append so it can schedule the fsync. */
    Runnable onAppend = () -> { };

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
    }

    @Override
    public long lastZxid() {
        return log.isEmpty() ? base : log.get(log.size() - 1).zxid();
    }

    @Override
    public long durableZxid() {
        return durableCount == 0 ? base : log.get(durableCount - 1).zxid();
    }

    @Override
    public long baseZxid() {
        return base;
    }

    private int indexOf(long zxid) {
        int lo = 0;
        int hi = log.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long z = log.get(mid).zxid();
            if (z < zxid) {
                lo = mid + 1;
            } else if (z > zxid) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    @Override
    public boolean contains(long zxid) {
        return indexOf(zxid) >= 0;
    }

    @Override
    public long floorZxid(long zxid) {
        if (zxid < base) {
            return -1;
        }
        int i = indexOf(zxid);
        if (i >= 0) {
            return zxid;
        }
        int insertion = -(i + 1);
        return insertion == 0 ? base : log.get(insertion - 1).zxid();
    }

    @Override
    public List<Entry> entries(long fromExclusive, long toInclusive) {
        if (fromExclusive < base) {
            throw new IllegalStateException("entries from " + Zxid.hex(fromExclusive) + " below base " + Zxid.hex(base));
        }
        List<Entry> result = new ArrayList<>();
        for (Entry e : log) {
            if (e.zxid() > fromExclusive && e.zxid() <= toInclusive) {
                result.add(e);
            }
        }
        return result;
    }

    @Override
    public void append(Entry entry) {
        if (entry.zxid() <= lastZxid()) {
            throw new IllegalStateException("append " + Zxid.hex(entry.zxid()) + " after " + Zxid.hex(lastZxid()));
        }
        log.add(entry);
        onAppend.run();
    }

    @Override
    public void truncateAfter(long zxid) {
        while (!log.isEmpty() && log.get(log.size() - 1).zxid() > zxid) {
            log.remove(log.size() - 1);
        }
        durableCount = Math.min(durableCount, log.size());
    }

    @Override
    public void resetTo(long snapshotZxid) {
        log.clear();
        durableCount = 0;
        base = snapshotZxid;
    }

    /** The simulated fsync: everything appended so far is durable. Returns the durable zxid. */
    long flush() {
        durableCount = log.size();
        return durableZxid();
    }

    /** A crash loses what was not yet durable. */
    void crash() {
        while (log.size() > durableCount) {
            log.remove(log.size() - 1);
        }
    }

    /** Moves the base up to the applied {@code zxid}, which must be durable, keeping its digest as the snapshot. */
    void compact(long zxid, long digest) {
        if (zxid <= base || zxid > durableZxid()) {
            return;
        }
        int keep = 0;
        while (keep < durableCount && log.get(keep).zxid() <= zxid) {
            keep++;
        }
        base = zxid;
        snapshotDigest = digest;
        log.subList(0, keep).clear();
        durableCount -= keep;
    }
}
