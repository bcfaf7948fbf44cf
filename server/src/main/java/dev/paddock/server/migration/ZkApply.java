package dev.paddock.server.migration;

import java.util.Map;

/** Applies one logged ZooKeeper transaction as ZooKeeper's replay does (FileTxnSnapLog and DataTree.processTxn). */
public final class ZkApply {
    private ZkApply() {
    }

    public static void apply(ZkTree tree, Map<Long, Integer> sessions, ZkTxn.Entry e) {
        ZkTxn txn = e.txn();
        if (txn instanceof ZkTxn.CreateSession s) {
            sessions.put(e.sessionId(), s.timeoutMs());
        } else if (txn instanceof ZkTxn.CloseSession c) {
            sessions.remove(e.sessionId());
            tree.killSession(e.sessionId(), c.paths(), e.zxid());
        } else if (txn instanceof ZkTxn.Multi m) {
            multi(tree, e, m);
        } else {
            one(tree, e, e.type(), txn);
        }
    }

    /**
     * A multi whose ops include an error was not applied by the leader, and replay applies none of it; a
     * multi that succeeded is applied op by op, each op's replay conflict ignored on its own (no rollback),
     * exactly as ZooKeeper's processTxn does it.
     */
    private static void multi(ZkTree tree, ZkTxn.Entry e, ZkTxn.Multi m) {
        for (ZkTxn.Op op : m.ops()) {
            if (op.type() == ZkTxn.ERROR) {
                return;
            }
        }
        for (ZkTxn.Op op : m.ops()) {
            one(tree, e, op.type(), op.txn());
        }
    }

    /** One operation; check and error change nothing. */
    private static void one(ZkTree tree, ZkTxn.Entry e, int type, ZkTxn txn) {
        long zxid = e.zxid();
        long time = e.timeMs();
        if (txn instanceof ZkTxn.Create c) {
            tree.create(c.path(), c.data(), c.acl(), c.ephemeral() ? e.sessionId() : 0, c.parentCVersion(), zxid,
                    time, type == ZkTxn.CREATE);
        } else if (txn instanceof ZkTxn.CreateTtl c) {
            tree.create(c.path(), c.data(), c.acl(), ttlOwner(c.ttl()), c.parentCVersion(), zxid, time, false);
        } else if (txn instanceof ZkTxn.CreateContainer c) {
            tree.create(c.path(), c.data(), c.acl(), Long.MIN_VALUE, c.parentCVersion(), zxid, time, false);
        } else if (txn instanceof ZkTxn.Delete d) {
            tree.delete(d.path(), zxid);
        } else if (txn instanceof ZkTxn.SetData s) {
            tree.setData(s.path(), s.data(), s.version(), zxid, time);
        } else if (txn instanceof ZkTxn.SetAcl s) {
            tree.setAcl(s.path(), s.acl(), s.version());
        }
    }

    /** ZooKeeper's TTL encoding of ephemeralOwner: 0xFF in the top byte, the TTL in the low 40 bits. */
    static long ttlOwner(long ttlMs) {
        return 0xFF00_0000_0000_0000L | ttlMs;
    }
}
