package dev.paddock.server.storage;

import dev.paddock.server.quorum.Entry;

/**
 * Where a {@link ReplicaLog}'s changes go to become durable, in the order they were made: the
 * {@link SegmentWriter} thread in the server, an in-memory disk in the glue simulation (which picks the
 * moment each fsync completes and what a crash keeps). The log decides what the member sees at once; the
 * device only says, through {@link #durable()}, how far the disk has caught up.
 *
 * <p>Every operation carries the log's generation, which a truncation or a reset increments, so a durable
 * point reported for an older history is never taken for the current one.
 */
public interface LogDevice extends AutoCloseable {
    /** One change of the log, queued in call order. */
    sealed interface Op permits Append, Roll, Truncate, Reset {
        int generation();
    }

    record Append(Entry entry, int generation) implements Op {
    }

    /** Entries queued after this go to a new segment (a snapshot was captured). */
    record Roll(int generation) implements Op {
    }

    /** Drops every record above {@code zxid}. */
    record Truncate(long zxid, int generation) implements Op {
    }

    /** Writes the snapshot body as {@code snapshot.<zxid>}, then removes every segment. */
    record Reset(long zxid, byte[] snapshotBody, int generation) implements Op {
    }

    /** The newest durable zxid of one generation. */
    record Durable(int generation, long zxid) {
    }

    /** Queues an operation; may wait while the queue is full; throws once the device failed or closed. */
    void submit(Op op);

    /**
     * Reads back the first {@code count} entries with fromExclusive &lt; zxid &lt;= toInclusive, in zxid order
     * (the log's member thread). The caller asks only for entries this device has already written in the
     * current generation, and knows how many there are; anything else is a broken invariant.
     *
     * @throws IllegalStateException when they cannot be read (the log is damaged or unreadable)
     */
    java.util.List<Entry> read(long fromExclusive, long toInclusive, int count);

    /** How far the disk has caught up (any thread). */
    Durable durable();

    long fsyncCount();

    /**
     * True when nothing is queued for the device (any thread): a durable-point report made now is not
     * followed by a batch already waiting, so whoever hears it may do its work before the next write without
     * delaying it. A device that cannot tell says false.
     */
    default boolean nothingQueued() {
        return false;
    }

    /** Writes and forces everything queued, then stops. */
    @Override
    void close();
}
