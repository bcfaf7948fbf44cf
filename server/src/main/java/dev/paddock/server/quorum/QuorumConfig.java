package dev.paddock.server.quorum;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who takes part: voting members and observers, and the protocol's timeouts in ticks (initLimit for
 * joining and syncing, syncLimit for heartbeats), as in zoo.cfg. {@code counterLimit} is the zxid counter at
 * which the leader moves to a new epoch (ZOOKEEPER-1277). A sync sends the snapshot in chunks of
 * {@code snapshotChunkBytes} and the log entries in messages of about {@code syncBatchBytes} (at least one
 * entry each), so no quorum message grows with the size of the data.
 *
 * <p>The member sets are sorted and unmodifiable: everything in this package iterates them, and iteration
 * order must not depend on hashing for the simulation to be deterministic.
 */
public record QuorumConfig(Set<Integer> voters, Set<Integer> observers, int initLimitTicks, int syncLimitTicks,
                           long counterLimit, int snapshotChunkBytes, int syncBatchBytes) {
    /** One snapshot chunk, as KRaft's FetchSnapshot and ClickHouse Keeper send them. */
    public static final int DEFAULT_SNAPSHOT_CHUNK_BYTES = 1024 * 1024;
    /** Entries per sync message, in encoded bytes; a message holds at least one entry whatever its size. */
    public static final int DEFAULT_SYNC_BATCH_BYTES = 1024 * 1024;

    public QuorumConfig {
        voters = sorted(voters);
        observers = sorted(observers);
        if (snapshotChunkBytes <= 0 || syncBatchBytes <= 0) {
            throw new IllegalArgumentException("snapshotChunkBytes and syncBatchBytes must be positive");
        }
    }

    public QuorumConfig(Set<Integer> voters, Set<Integer> observers, int initLimitTicks, int syncLimitTicks,
                        long counterLimit) {
        this(voters, observers, initLimitTicks, syncLimitTicks, counterLimit, DEFAULT_SNAPSHOT_CHUNK_BYTES,
                DEFAULT_SYNC_BATCH_BYTES);
    }

    private static SortedSet<Integer> sorted(Set<Integer> ids) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(ids));
    }

    public boolean isQuorum(Set<Integer> ids) {
        int votes = 0;
        for (int id : ids) {
            if (voters.contains(id)) {
                votes++;
            }
        }
        return votes * 2 > voters.size();
    }

    /** Voters and observers, in id order. */
    public SortedSet<Integer> everyone() {
        SortedSet<Integer> all = new TreeSet<>(voters);
        all.addAll(observers);
        return Collections.unmodifiableSortedSet(all);
    }

    /** The same limits with the members of {@code roster} (a configuration that a reconfiguration made). */
    public QuorumConfig withMembers(Roster roster) {
        return new QuorumConfig(roster.voters(), roster.observers(), initLimitTicks, syncLimitTicks, counterLimit,
                snapshotChunkBytes, syncBatchBytes);
    }

    /** The same members and limits with other sync message sizes (tests use tiny ones). */
    public QuorumConfig withSyncMessageBytes(int chunkBytes, int batchBytes) {
        return new QuorumConfig(voters, observers, initLimitTicks, syncLimitTicks, counterLimit, chunkBytes,
                batchBytes);
    }
}
