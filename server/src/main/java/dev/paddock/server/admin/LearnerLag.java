package dev.paddock.server.admin;

/**
 * One learner as the leader sees it (the admin layer's own copy of the quorum layer's read-only view, so
 * {@code admin} does not depend on {@code quorum}): synced or not, the last zxid it acknowledged, and how many
 * zxids of the leader's log it has not acknowledged yet (-1 before its first acknowledgement).
 */
public record LearnerLag(int id, boolean observer, boolean synced, long ackedZxid, long lag) {

    /** From the leader's last logged zxid and the learner's last acknowledged one. */
    public static LearnerLag of(int id, boolean observer, boolean synced, long ackedZxid, long leaderZxid) {
        long lag;
        if (ackedZxid < 0) {
            lag = -1;
        } else if (ackedZxid >>> 32 == leaderZxid >>> 32) {
            lag = Math.max(0, leaderZxid - ackedZxid);
        } else {
            // Acknowledged only entries of an older epoch: it lacks at least every entry of this one.
            lag = ackedZxid >>> 32 < leaderZxid >>> 32 ? leaderZxid & 0xffff_ffffL : 0;
        }
        return new LearnerLag(id, observer, synced, ackedZxid, lag);
    }
}
