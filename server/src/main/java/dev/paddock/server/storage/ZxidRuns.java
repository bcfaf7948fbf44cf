package dev.paddock.server.storage;

import java.util.Arrays;

/**
 * Which zxids a log holds, as runs of consecutive zxids: the index of the entries that live only in the
 * segment files (the older part of a {@link ReplicaLog}). Within an epoch a log's zxids are consecutive, so
 * this is one run per epoch in practice, a few bytes whatever the number of entries; any other shape still
 * works, at 16 bytes a run. Not thread-safe: the member's thread owns it.
 */
public final class ZxidRuns {
    /** Run i holds firsts[i] .. lasts[i]; runs ascend and do not touch. */
    private long[] firsts = new long[4];
    private long[] lasts = new long[4];
    private int runs;
    private long count;

    boolean isEmpty() {
        return runs == 0;
    }

    /** How many zxids are held. */
    long count() {
        return count;
    }

    /** The newest zxid held, or -1. */
    long last() {
        return runs == 0 ? -1 : lasts[runs - 1];
    }

    /** Adds {@code zxid}, which must be above every zxid held. */
    void add(long zxid) {
        if (runs > 0 && zxid <= lasts[runs - 1]) {
            throw new IllegalStateException("zxid 0x" + Long.toHexString(zxid) + " added after 0x"
                    + Long.toHexString(lasts[runs - 1]));
        }
        if (runs > 0 && zxid == lasts[runs - 1] + 1) {
            lasts[runs - 1] = zxid;
        } else {
            if (runs == firsts.length) {
                firsts = Arrays.copyOf(firsts, runs * 2);
                lasts = Arrays.copyOf(lasts, runs * 2);
            }
            firsts[runs] = zxid;
            lasts[runs] = zxid;
            runs++;
        }
        count++;
    }

    /** The index of the run holding {@code zxid} or of the newest run below it; -1 if none. */
    private int runAtOrBelow(long zxid) {
        int lo = 0;
        int hi = runs - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (firsts[mid] <= zxid) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    boolean contains(long zxid) {
        int r = runAtOrBelow(zxid);
        return r >= 0 && zxid <= lasts[r];
    }

    /** The largest zxid held that is not above {@code zxid}, or -1. */
    long floor(long zxid) {
        int r = runAtOrBelow(zxid);
        return r < 0 ? -1 : Math.min(zxid, lasts[r]);
    }

    /** How many zxids held are in (fromExclusive, toInclusive]. */
    long countBetween(long fromExclusive, long toInclusive) {
        return countUpTo(toInclusive) - countUpTo(fromExclusive);
    }

    private long countUpTo(long zxid) {
        long n = 0;
        for (int i = 0; i < runs && firsts[i] <= zxid; i++) {
            n += Math.min(zxid, lasts[i]) - firsts[i] + 1;
        }
        return n;
    }

    /** Forgets every zxid above {@code zxid}. */
    void truncateAfter(long zxid) {
        while (runs > 0 && firsts[runs - 1] > zxid) {
            runs--;
            count -= lasts[runs] - firsts[runs] + 1;
        }
        if (runs > 0 && lasts[runs - 1] > zxid) {
            count -= lasts[runs - 1] - zxid;
            lasts[runs - 1] = zxid;
        }
    }

    /** Forgets every zxid up to and including {@code zxid}. */
    void dropUpTo(long zxid) {
        int gone = 0;
        while (gone < runs && lasts[gone] <= zxid) {
            count -= lasts[gone] - firsts[gone] + 1;
            gone++;
        }
        if (gone > 0) {
            System.arraycopy(firsts, gone, firsts, 0, runs - gone);
            System.arraycopy(lasts, gone, lasts, 0, runs - gone);
            runs -= gone;
        }
        if (runs > 0 && firsts[0] <= zxid) {
            count -= zxid - firsts[0] + 1;
            firsts[0] = zxid + 1;
        }
    }

    /**
     * The zxids held in (fromExclusive, toInclusive], in order: for a sparse index (one zxid a run), not for
     * the runs of a whole log.
     */
    long[] between(long fromExclusive, long toInclusive) {
        long n = countBetween(fromExclusive, toInclusive);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(n + " zxids asked for one array");
        }
        long[] out = new long[(int) n];
        int k = 0;
        for (int i = 0; i < runs && firsts[i] <= toInclusive; i++) {
            for (long z = Math.max(firsts[i], fromExclusive + 1); z <= Math.min(lasts[i], toInclusive); z++) {
                out[k++] = z;
            }
        }
        return out;
    }

    void clear() {
        runs = 0;
        count = 0;
    }
}
