package dev.paddock.server.quorum;

/** What a member is doing; printed by srvr as Mode. */
public enum Role {
    LOOKING, FOLLOWING, LEADING, OBSERVING
}
