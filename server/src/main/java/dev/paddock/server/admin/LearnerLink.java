package dev.paddock.server.admin;

/**
 * One learner's link with the leader, as the AdminServer's {@code observers} lists it (the fields of ZooKeeper's
 * learner handler info that are not the learner's id and state): the learner's address, when the link was
 * established (wall ms), the messages received from and sent to it, the requests it forwarded and the zxid of the
 * last entry sent to it (-1 before any). The admin layer's own record, so {@code admin} knows no ensemble type.
 */
public record LearnerLink(String remoteAddress, long establishedMs, long packetsReceived, long packetsSent,
                          long requests, long lastZxid) {
}
