package dev.paddock.server.quorum;

/**
 * What a leader knows of one learner, read-only, for operators (the AdminServer and metrics): whether it is
 * synced (its NEWLEADER acknowledged), and the last zxid it acknowledged as durable, against the leader's
 * last logged zxid. Observers acknowledge only their sync, so theirs stays at the synced point.
 *
 * @param ackedZxid  the highest zxid this learner acknowledged on its current link, -1 before any
 * @param leaderZxid the leader's last logged zxid when this was read
 */
public record LearnerProgress(int id, boolean observer, boolean synced, long ackedZxid, long leaderZxid) {
}
