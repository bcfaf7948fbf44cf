package dev.paddock.server.mirror;

import dev.paddock.server.migration.ZkTxn;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.Change;
import dev.paddock.server.tree.EphemeralType;
import dev.paddock.server.tree.ZkReplay;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.proto.Create2Response;
import dev.paddock.wire.proto.MultiResponse;
import dev.paddock.wire.proto.MultiResult;
import dev.paddock.wire.proto.PathResponse;
import dev.paddock.wire.proto.Response;
import dev.paddock.wire.proto.StatResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * One committed ZooKeeper transaction (an INFORM) applied to the mirror's state machine through
 * {@link ZkReplay}, with the answer the client that asked for it gets, as ZooKeeper's FinalRequestProcessor
 * builds it from the transaction: the created path (and its stat for create2, container and TTL creates),
 * the stat after setData or setACL, the error of an error transaction, a multi's results op by op.
 */
final class MirrorApply {
    private MirrorApply() {
    }

    static ApplyResult apply(ZkReplay replay, ZkTxn.Entry e) {
        replay.begin(e.zxid());
        List<Change> changes = new ArrayList<>(2);
        ZkTxn txn = e.txn();
        if (txn instanceof ZkTxn.CreateSession s) {
            replay.createSession(e.sessionId(), s.timeoutMs());
            return new ApplyResult(ErrorCode.OK, null, changes);
        }
        if (txn instanceof ZkTxn.CloseSession c) {
            replay.closeSession(e.sessionId(), c.paths(), e.zxid(), changes);
            return new ApplyResult(ErrorCode.OK, null, changes);
        }
        if (txn instanceof ZkTxn.Error err) {
            return ApplyResult.error(ErrorCode.of(err.code()));
        }
        if (txn instanceof ZkTxn.Multi m) {
            return new ApplyResult(ErrorCode.OK, multi(replay, e, m, changes), changes);
        }
        return new ApplyResult(ErrorCode.OK, one(replay, e, e.type(), txn, changes), changes);
    }

    /** A multi with an error op was not applied by the leader: each op reports its code, nothing changes. */
    private static Response multi(ZkReplay replay, ZkTxn.Entry e, ZkTxn.Multi m, List<Change> changes) {
        List<MultiResult> results = new ArrayList<>(m.ops().size());
        boolean failed = m.ops().stream().anyMatch(op -> op.type() == ZkTxn.ERROR);
        if (failed) {
            for (ZkTxn.Op op : m.ops()) {
                int code = op.txn() instanceof ZkTxn.Error err ? err.code() : ErrorCode.OK.code;
                results.add(MultiResult.error(code));
            }
            return new MultiResponse(results);
        }
        for (ZkTxn.Op op : m.ops()) {
            Response body = one(replay, e, op.type(), op.txn(), changes);
            // Container and TTL creates report as create2 inside a multi, as Paddock's own multi does.
            int type = op.type() == ZkTxn.CREATE_CONTAINER || op.type() == ZkTxn.CREATE_TTL ? ZkTxn.CREATE2 : op.type();
            results.add(new MultiResult(type, 0, body));
        }
        return new MultiResponse(results);
    }

    private static Response one(ZkReplay replay, ZkTxn.Entry e, int type, ZkTxn txn, List<Change> changes) {
        long zxid = e.zxid();
        long time = e.timeMs();
        if (txn instanceof ZkTxn.Create c) {
            replay.create(c.path(), c.data(), c.acl(), c.ephemeral() ? e.sessionId() : 0, c.parentCVersion(), zxid,
                    time, true, changes);
            return type == ZkTxn.CREATE ? new PathResponse(c.path()) : created(replay, c.path());
        } else if (txn instanceof ZkTxn.CreateTtl c) {
            replay.create(c.path(), c.data(), c.acl(), EphemeralType.ttlOwner(c.ttl()), c.parentCVersion(), zxid,
                    time, false, changes);
            return created(replay, c.path());
        } else if (txn instanceof ZkTxn.CreateContainer c) {
            replay.create(c.path(), c.data(), c.acl(), EphemeralType.CONTAINER_OWNER, c.parentCVersion(), zxid,
                    time, false, changes);
            return created(replay, c.path());
        } else if (txn instanceof ZkTxn.Delete d) {
            replay.delete(d.path(), zxid, changes);
            return null;
        } else if (txn instanceof ZkTxn.SetData s) {
            replay.setData(s.path(), s.data(), s.version(), zxid, time, changes);
            return new StatResponse(replay.stat(s.path()));
        } else if (txn instanceof ZkTxn.SetAcl s) {
            replay.setAcl(s.path(), s.acl(), s.version());
            return new StatResponse(replay.stat(s.path()));
        }
        // check changes nothing and answers nothing
        return null;
    }

    private static Response created(ZkReplay replay, String path) {
        return new Create2Response(path, replay.stat(path));
    }
}
