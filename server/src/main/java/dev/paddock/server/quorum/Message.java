package dev.paddock.server.quorum;

import java.util.List;

/**
 * The messages members exchange. Election notifications stand alone; everything between a leader and a
 * learner travels in a {@link Linked} envelope that carries the link's nonce and a per-direction sequence
 * number, so a lost, duplicated or reordered message is detected and the link is rebuilt, as a TCP
 * connection would be.
 */
public sealed interface Message {
    /** A member's vote: the proposed leader with its (epoch, last zxid). */
    record Vote(int leader, long zxid, long epoch) {
    }

    /**
     * An election message. It carries the sender's configuration in force (version and the host's text of it,
     * empty when the host keeps none), as ZooKeeper's notifications do: a looking member that was away while
     * the membership changed learns the new one from whoever answers it. It also carries the newest
     * reconfiguration the sender logged (not yet committed) with its voters, and the voters of the sender's
     * configuration in force, so those voters can vote for each other wherever they are heard.
     */
    record Notification(Vote vote, long round, Role senderRole, long configVersion, byte[] config,
                        java.util.Set<Integer> voters, long loggedVersion, java.util.Set<Integer> loggedVoters)
            implements Message {
        public Notification(Vote vote, long round, Role senderRole) {
            this(vote, round, senderRole, 0, new byte[0], java.util.Set.of(), 0, java.util.Set.of());
        }

        public Notification(Vote vote, long round, Role senderRole, long configVersion, byte[] config) {
            this(vote, round, senderRole, configVersion, config, java.util.Set.of(), 0, java.util.Set.of());
        }
    }

    record Linked(long link, long seq, Body body) implements Message {
    }

    sealed interface Body {
    }

    /** Learner to leader: opens the link. */
    record LearnerInfo(long acceptedEpoch, long lastZxid, boolean observer) implements Body {
    }

    record LeaderInfo(long newEpoch) implements Body {
    }

    /** counted is false when the learner already promised this epoch to another leader. */
    record AckEpoch(long currentEpoch, long lastZxid, boolean counted) implements Body {
    }

    /**
     * How the leader brings a learner up to date: truncate (if truncateTo >= 0), or install a snapshot (if
     * {@code snapshot} is not null: its bytes follow in {@link SnapshotChunk}s), then append the entries, here
     * and in the {@link SyncEntries} that follow. {@link NewLeader} ends the sync. A snapshot's sync carries
     * no entries itself: they come after the chunks.
     */
    record Sync(long truncateTo, SnapshotHeader snapshot, List<Entry> entries) implements Body {
    }

    /** A snapshot on its way: the zxid it is at, its size and the CRC32C of its bytes. */
    record SnapshotHeader(long zxid, int sizeBytes, int checksum) {
    }

    /** The snapshot's bytes from {@code offset}; chunks arrive in order and end at the header's size. */
    record SnapshotChunk(int offset, byte[] data) implements Body {
    }

    /** More entries of the sync, in zxid order. */
    record SyncEntries(List<Entry> entries) implements Body {
    }

    /**
     * Ends the sync. It carries the leader's configuration in force (its version and the host's text of it,
     * empty when the host keeps none), which a learner with an older one adopts, as ZooKeeper's NEWLEADER
     * carries the leader's config.
     */
    record NewLeader(long epoch, long zxid, long configVersion, byte[] config) implements Body {
        public NewLeader(long epoch, long zxid) {
            this(epoch, zxid, 0, new byte[0]);
        }
    }

    /** Learner to leader: everything up to zxid is durable (cumulative). newLeader marks the NEWLEADER ack. */
    record Ack(long zxid, boolean newLeader) implements Body {
    }

    record UpToDate(long commitZxid) implements Body {
    }

    record Proposal(Entry entry) implements Body {
    }

    record Commit(long zxid) implements Body {
    }

    /** Leader to observer: a committed entry. */
    record Inform(Entry entry) implements Body {
    }

    record Ping(long commitZxid) implements Body {
    }

    record Pong() implements Body {
    }

    /** Learner to leader: a client's write to propose. */
    record Forward(byte[] payload) implements Body {
    }

    /** Leader to learners: the zxid counter is exhausted; start a new epoch with the same leader. */
    record Reestablish() implements Body {
    }

    /** Leader to learners: this member stopped leading; look for a new leader now rather than at timeout. */
    record StepDown() implements Body {
    }

    /** Learner to leader: a client asked for sync; the leader answers with its commit point. */
    record SyncRequest(long id) implements Body {
    }

    record SyncReply(long id, long commitZxid) implements Body {
    }

    /** Learner to leader: the sessions its clients used since the last report, so the leader keeps them alive. */
    record Touches(long[] sessionIds) implements Body {
    }
}
