package dev.paddock.server.quorum;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries after a log's base, in zxid order, with the look-ups {@link ReplicaStorage} needs. Shared by
 * the disk storage and the simulation's, so the simulation exercises the same index code. Not thread-safe:
 * the member's thread owns it.
 */
public final class LogTail {
    private final List<Entry> entries = new ArrayList<>();
    private long base;
    private long payloadBytes;

    public long base() {
        return base;
    }

    public int size() {
        return entries.size();
    }

    public Entry get(int i) {
        return entries.get(i);
    }

    public long lastZxid() {
        return entries.isEmpty() ? base : entries.get(entries.size() - 1).zxid();
    }

    /** Binary search: the index of {@code zxid}, or -(insertion point) - 1. */
    public int indexOf(long zxid) {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long z = entries.get(mid).zxid();
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

    public boolean contains(long zxid) {
        return indexOf(zxid) >= 0;
    }

    public long floorZxid(long zxid) {
        if (zxid < base) {
            return -1;
        }
        int i = indexOf(zxid);
        if (i >= 0) {
            return zxid;
        }
        int insertion = -(i + 1);
        return insertion == 0 ? base : entries.get(insertion - 1).zxid();
    }

    public List<Entry> entries(long fromExclusive, long toInclusive) {
        if (fromExclusive < base) {
            throw new IllegalStateException("entries from " + Zxid.hex(fromExclusive) + " below base " + Zxid.hex(base));
        }
        int i = indexOf(fromExclusive);
        int start = i >= 0 ? i + 1 : -(i + 1);
        List<Entry> result = new ArrayList<>();
        for (int k = start; k < entries.size() && entries.get(k).zxid() <= toInclusive; k++) {
            result.add(entries.get(k));
        }
        return result;
    }

    public void append(Entry entry) {
        if (entry.zxid() <= lastZxid()) {
            throw new IllegalStateException("append " + Zxid.hex(entry.zxid()) + " after " + Zxid.hex(lastZxid()));
        }
        entries.add(entry);
        payloadBytes += entry.payload().length;
    }

    /** Bytes of payload held (the in-memory cost of the tail, less object overhead). */
    public long payloadBytes() {
        return payloadBytes;
    }

    private void forget(List<Entry> dropped) {
        for (Entry e : dropped) {
            payloadBytes -= e.payload().length;
        }
        dropped.clear();
    }

    /** Drops the entries above {@code zxid}; returns how many are left. */
    public int truncateAfter(long zxid) {
        int keep = 0;
        while (keep < entries.size() && entries.get(keep).zxid() <= zxid) {
            keep++;
        }
        forget(entries.subList(keep, entries.size()));
        return keep;
    }

    /** Drops the entries up to {@code zxid}, which becomes the base; returns how many were dropped. */
    public int compactTo(long zxid) {
        int drop = 0;
        while (drop < entries.size() && entries.get(drop).zxid() <= zxid) {
            drop++;
        }
        forget(entries.subList(0, drop));
        base = zxid;
        return drop;
    }

    public void resetTo(long newBase) {
        entries.clear();
        payloadBytes = 0;
        base = newBase;
    }
}
