package dev.paddock.server.quorum;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Iterates a range of a {@link ReplicaStorage}'s log a batch at a time ({@link ReplicaStorage#inBatches}). */
final class EntryBatches implements Iterator<Entry> {
    private final ReplicaStorage storage;
    private final long toInclusive;
    private final int batchSize;
    private long after;
    private List<Entry> batch = List.of();
    private int next;
    private boolean exhausted;

    EntryBatches(ReplicaStorage storage, long fromExclusive, long toInclusive, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batches of " + batchSize);
        }
        this.storage = storage;
        this.after = fromExclusive;
        this.toInclusive = toInclusive;
        this.batchSize = batchSize;
    }

    @Override
    public boolean hasNext() {
        if (next < batch.size()) {
            return true;
        }
        if (exhausted || after >= toInclusive) {
            return false;
        }
        batch = storage.entries(after, toInclusive, batchSize);
        next = 0;
        exhausted = batch.size() < batchSize;
        return !batch.isEmpty();
    }

    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Entry e = batch.get(next++);
        after = e.zxid();
        return e;
    }
}
