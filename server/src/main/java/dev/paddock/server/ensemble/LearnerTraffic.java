package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Message;
import java.util.HashMap;
import java.util.Map;

/**
 * A leader's statistics of each learner's link, as ZooKeeper's LearnerHandler keeps them for the AdminServer's
 * {@code observers}: when the link was established (the first message this leader counted on it; a new link,
 * told by its id, starts the counts again, as ZooKeeper makes a new handler per connection), the messages received from
 * and sent to it, the requests it forwarded (client writes and syncs) and the zxid of the last entry sent
 * (-1 before any). {@code observer_connection_stat_reset} zeroes the counts and that zxid. Counts only while
 * this member leads; a new role forgets them. Request thread only.
 */
final class LearnerTraffic {
    /** One learner's link, read by the admin layer through {@link EnsembleMember#learnerTraffic}. */
    record Link(long establishedWallMs, long packetsReceived, long packetsSent, long requests, long lastZxid) {
    }

    private static final class Counts {
        final long link;
        final long establishedWallMs;
        long received;
        long sent;
        long requests;
        long lastZxid = -1;

        Counts(long link, long establishedWallMs) {
            this.link = link;
            this.establishedWallMs = establishedWallMs;
        }
    }

    private final Map<Integer, Counts> byLearner = new HashMap<>();

    void received(int from, Message message, long nowWallMs) {
        if (!(message instanceof Message.Linked linked)) {
            return;
        }
        Counts c = byLearner.get(from);
        if (c == null || c.link != linked.link()) {
            // The first message of a link this leader has not counted yet: the link's statistics begin.
            c = new Counts(linked.link(), nowWallMs);
            byLearner.put(from, c);
        }
        c.received++;
        if (linked.body() instanceof Message.Forward || linked.body() instanceof Message.SyncRequest) {
            c.requests++;
        }
    }

    void sent(int to, Message message) {
        Counts c = byLearner.get(to);
        if (c == null || !(message instanceof Message.Linked linked)) {
            return;
        }
        c.sent++;
        Message.Body body = linked.body();
        long zxid = -1;
        if (body instanceof Message.Proposal p) {
            zxid = p.entry().zxid();
        } else if (body instanceof Message.Inform i) {
            zxid = i.entry().zxid();
        } else if (body instanceof Message.Commit commit) {
            zxid = commit.zxid();
        }
        if (zxid > 0) {
            c.lastZxid = zxid;
        }
    }

    /** observer_connection_stat_reset: the counts and the last zxid start again; the links stay. */
    void resetCounts() {
        for (Counts c : byLearner.values()) {
            c.received = 0;
            c.sent = 0;
            c.requests = 0;
            c.lastZxid = -1;
        }
    }

    /** A new role: no learner links any more. */
    void clear() {
        byLearner.clear();
    }

    /** The learner's link, or null when it has none with this leader. */
    Link link(int id) {
        Counts c = byLearner.get(id);
        return c == null ? null : new Link(c.establishedWallMs, c.received, c.sent, c.requests, c.lastZxid);
    }
}
