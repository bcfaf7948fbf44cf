package dev.paddock.server.quorum;

import java.util.List;

/**
 * A member's durable protocol state: the two epochs and the log. The epochs are durable when the call
 * returns. {@link #append}, {@link #truncateAfter} and {@link #resetTo} change the log at once as the member
 * sees it and reach the disk later, in call order; the member learns that they did through
 * {@link #durableZxid()} and {@link Member#persisted(long)} (the group commit happens below this interface).
 */
public interface ReplicaStorage {
    /** The newest epoch this member promised to follow, and the leader it promised it to. */
    long acceptedEpoch();

    int acceptedLeader();

    void acceptEpoch(long epoch, int leaderId);

    /** The epoch of the last leader this member fully synchronised with. */
    long currentEpoch();

    void setCurrentEpoch(long epoch);

    /** zxid of the newest entry appended (durable or not); {@link #baseZxid()} when the log is empty. */
    long lastZxid();

    /**
     * Every entry up to this zxid is durable. After {@link #resetTo} it may be below the base until the
     * installed snapshot itself is durable.
     */
    long durableZxid();

    /**
     * True when no append, truncation or reset waits to reach the disk (any thread); see
     * {@code LogDevice.nothingQueued}. Storage that cannot tell says false.
     */
    default boolean nothingQueued() {
        return false;
    }

    /** Entries up to and including this zxid live only in the snapshot. */
    long baseZxid();

    boolean contains(long zxid);

    /** The largest logged zxid not above {@code zxid}, the base if none; -1 when {@code zxid} is below the base. */
    long floorZxid(long zxid);

    /** Entries with fromExclusive < zxid <= toInclusive, in order; requires fromExclusive >= baseZxid(). */
    List<Entry> entries(long fromExclusive, long toInclusive);

    /** The first {@code maxEntries} of {@link #entries(long, long)} (a storage may read only those). */
    default List<Entry> entries(long fromExclusive, long toInclusive, int maxEntries) {
        List<Entry> all = entries(fromExclusive, toInclusive);
        return all.size() <= maxEntries ? all : all.subList(0, maxEntries);
    }

    /**
     * The same entries as {@link #entries(long, long)}, fetched {@code batch} at a time as they are iterated,
     * so a long range (the log after start-up, a DIFF for a learner far behind) is never held at once. The
     * log must not change while it is iterated.
     */
    default Iterable<Entry> inBatches(long fromExclusive, long toInclusive, int batch) {
        return () -> new EntryBatches(this, fromExclusive, toInclusive, batch);
    }

    /**
     * The entries of (fromExclusive, toInclusive] that may be reconfigurations, in zxid order, what a member
     * scans for its logged configurations after start-up and after a truncation: every entry (in batches) unless
     * the storage indexes them, as the durable log does, so a restart does not read its whole log back for them.
     */
    default Iterable<Entry> reconfigCandidates(long fromExclusive, long toInclusive, int batch) {
        return inBatches(fromExclusive, toInclusive, batch);
    }

    void append(Entry entry);

    /** Drops every entry above {@code zxid}. */
    void truncateAfter(long zxid);

    /**
     * Empties the log after {@code snapshot} was installed: the snapshot becomes durable (it is the base),
     * then the old log goes; entries appended afterwards follow it.
     */
    void resetTo(Snapshot snapshot);
}
