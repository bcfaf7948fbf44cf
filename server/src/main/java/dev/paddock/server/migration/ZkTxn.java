package dev.paddock.server.migration;

import dev.paddock.wire.proto.Acl;
import java.util.List;

/** One transaction record of ZooKeeper's log, by type (the record classes of zookeeper.jute's txn module). */
public sealed interface ZkTxn {
    int CREATE = 1;
    int DELETE = 2;
    int SET_DATA = 5;
    int SET_ACL = 7;
    int CHECK = 13;
    int MULTI = 14;
    int CREATE2 = 15;
    int RECONFIG = 16;
    int CREATE_CONTAINER = 19;
    int DELETE_CONTAINER = 20;
    int CREATE_TTL = 21;
    int ERROR = -1;
    int CREATE_SESSION = -10;
    int CLOSE_SESSION = -11;

    record CreateSession(int timeoutMs) implements ZkTxn {
    }

    /** {@code paths} is null when the writer did not log them (before 3.6, or closeSessionTxn disabled). */
    record CloseSession(List<String> paths) implements ZkTxn {
    }

    /** create and create2; parentCVersion is -1 for the pre-3.3 record without it. */
    record Create(String path, byte[] data, List<Acl> acl, boolean ephemeral, int parentCVersion) implements ZkTxn {
    }

    record CreateTtl(String path, byte[] data, List<Acl> acl, int parentCVersion, long ttl) implements ZkTxn {
    }

    record CreateContainer(String path, byte[] data, List<Acl> acl, int parentCVersion) implements ZkTxn {
    }

    /** delete and deleteContainer. */
    record Delete(String path) implements ZkTxn {
    }

    /** setData, and reconfig (which ZooKeeper logs as a setData of /zookeeper/config). */
    record SetData(String path, byte[] data, int version) implements ZkTxn {
    }

    record SetAcl(String path, List<Acl> acl, int version) implements ZkTxn {
    }

    record Check(String path, int version) implements ZkTxn {
    }

    record Error(int code) implements ZkTxn {
    }

    record Multi(List<Op> ops) implements ZkTxn {
    }

    /** One operation of a multi: its own type and record; every op shares the multi's header. */
    record Op(int type, ZkTxn txn) {
    }

    /** A log entry: the TxnHeader, the record, and whether a TxnDigest followed it. */
    record Entry(long sessionId, int cxid, long zxid, long timeMs, int type, ZkTxn txn, boolean digested,
                 long digest) {
    }
}
