package dev.paddock.server.request;

import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.EventType;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.proto.Stat;
import java.util.List;

/** setWatches and setWatches2: the watches a reconnecting client had, set again or fired at once. Request thread. */
final class WatchRestore {
    private final StateMachine stateMachine;
    private final WatchManager watches;

    WatchRestore(StateMachine stateMachine, WatchManager watches) {
        this.stateMachine = stateMachine;
        this.watches = watches;
    }

    /**
     * A reconnecting client re-registers its watches; whatever changed since the zxid it last saw fires at
     * once instead, as ZooKeeper does. The lists are taken in order; a null list, or a null path among the
     * one-shot watches, stops there with MarshallingError, leaving what came before it in place, as in
     * ZooKeeper (which fails on the null half-way). A null path among the persistent watches is kept.
     */
    ErrorCode apply(Connection conn, long relativeZxid, List<String> data, List<String> exist,
                                 List<String> child, List<String> persistent, List<String> recursive) {
        long zxid = stateMachine.lastZxid();
        if (data == null) {
            return ErrorCode.MARSHALLING_ERROR;
        }
        for (String path : data) {
            if (path == null) {
                return ErrorCode.MARSHALLING_ERROR;
            }
            Stat stat = stateMachine.tree().stat(path);
            if (stat == null) {
                conn.sendEvent(EventType.NODE_DELETED, path, zxid);
            } else if (stat.mzxid() > relativeZxid) {
                conn.sendEvent(EventType.NODE_DATA_CHANGED, path, zxid);
            } else {
                watches.addDataWatch(path, conn);
            }
        }
        if (exist == null) {
            return ErrorCode.MARSHALLING_ERROR;
        }
        for (String path : exist) {
            if (path == null) {
                return ErrorCode.MARSHALLING_ERROR;
            } else if (stateMachine.tree().exists(path)) {
                conn.sendEvent(EventType.NODE_CREATED, path, zxid);
            } else {
                watches.addDataWatch(path, conn);
            }
        }
        if (child == null) {
            return ErrorCode.MARSHALLING_ERROR;
        }
        for (String path : child) {
            if (path == null) {
                return ErrorCode.MARSHALLING_ERROR;
            }
            Stat stat = stateMachine.tree().stat(path);
            if (stat == null) {
                conn.sendEvent(EventType.NODE_DELETED, path, zxid);
            } else if (stat.pzxid() > relativeZxid) {
                conn.sendEvent(EventType.NODE_CHILDREN_CHANGED, path, zxid);
            } else {
                watches.addChildWatch(path, conn);
            }
        }
        if (persistent == null) {
            return ErrorCode.MARSHALLING_ERROR;
        }
        for (String path : persistent) {
            watches.addPersistentWatch(path, conn, WatchManager.MODE_PERSISTENT);
        }
        if (recursive == null) {
            return ErrorCode.MARSHALLING_ERROR;
        }
        for (String path : recursive) {
            watches.addPersistentWatch(path, conn, WatchManager.MODE_PERSISTENT_RECURSIVE);
        }
        return ErrorCode.OK;
    }
}
