package dev.paddock.server.tree;

import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.Request;
import java.util.List;

/**
 * One entry of the replicated log: everything apply needs, fixed before replication (zxid, wall time,
 * the requesting session and its identities), so every replica computes the same result.
 */
public record Txn(long zxid, long timeMs, long sessionId, List<Id> identities, Request request) {
}
