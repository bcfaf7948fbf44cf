package dev.paddock.server.quorum;

/** The state machine at an applied zxid, opaque to the protocol; sent whole when a learner is too far behind. */
public record Snapshot(long zxid, byte[] state) {
}
