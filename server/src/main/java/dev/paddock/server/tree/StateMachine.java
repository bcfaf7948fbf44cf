package dev.paddock.server.tree;

import dev.paddock.server.auth.AclChecker;
import dev.paddock.server.auth.AclValidator;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Create2Response;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.CreateTtlRequest;
import dev.paddock.wire.proto.ErrorResponse;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.MultiResponse;
import dev.paddock.wire.proto.MultiResult;
import dev.paddock.wire.proto.PathRequest;
import dev.paddock.wire.proto.PathResponse;
import dev.paddock.wire.proto.PathVersionRequest;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.Response;
import dev.paddock.wire.proto.SetAclRequest;
import dev.paddock.wire.proto.SetDataRequest;
import dev.paddock.wire.proto.StatResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The deterministic state machine of docs/decisions.md decision 1: the tree plus the session table, changed only by
 * {@link #apply(Txn)}. Given the same entries in the same order, every replica reaches the same state and
 * computes the same results and errors. No I/O, no clock, no threads, no randomness.
 */
public final class StateMachine {
    /** The nodes ZooKeeper keeps for itself; clients cannot delete them. */
    public static final Set<String> SPECIAL_PATHS = Set.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config");

    private final DataTree tree;
    private final Quotas quotas;
    private final Map<Long, Integer> sessionTimeouts = new TreeMap<>();
    private long lastZxid;
    /** The last ACL list and identities {@link #fixupAcl} accepted, and its result. */
    private List<Acl> lastAclIn;
    private List<Id> lastIdentitiesIn;
    private List<Acl> lastAclOut;

    public StateMachine(boolean extendedTypesEnabled) {
        tree = new DataTree(extendedTypesEnabled);
        tree.createSystemNode("/zookeeper", new byte[0], AclLists.OPEN, 0);
        tree.createSystemNode("/zookeeper/quota", new byte[0], AclLists.OPEN, 0);
        // ZooKeeper builds the config node with aversion -1.
        tree.createSystemNode("/zookeeper/config", new byte[0], AclLists.READ_ONLY, -1);
        quotas = new Quotas(tree);
    }

    /** The node that holds the membership's config text. */
    public static final String CONFIG_NODE = "/zookeeper/config";

    /**
     * Puts this member's own config text in {@value #CONFIG_NODE}, as ZooKeeper's
     * {@code ZKDatabase.initConfigInZKDatabase} does: data version -1, mzxid the config version, mtime now.
     *
     * <p>This is the one change to the tree that is not a logged transaction. It is local state by design:
     * ZooKeeper writes the node from each member's own config at start-up and after every sync with a
     * leader (with reconfig disabled, a learner even overwrites what a leader's snapshot held, ZOOKEEPER-2819),
     * and never logs it. Every member of a static ensemble has the same server lines, so every member holds
     * the same text; only mtime differs, which is why {@link TreeDigest} ignores what this sets (as ZooKeeper's
     * own digest leaves out {@code /zookeeper/}). Nothing a transaction does depends on it: clients cannot
     * write it (its ACL is read-only and reconfig is not implemented). {@code EnsembleMember} calls this when
     * it opens the state and after installing a leader's snapshot; a standalone server never does, so its node
     * stays empty as ZooKeeper's standalone server leaves it.
     */
    public void setLocalConfig(byte[] data, long configVersion, long timeMs) {
        tree.setLocalData(CONFIG_NODE, data, -1, configVersion, timeMs);
    }

    /** The ACL of {@value #CONFIG_NODE} (the permission a reconfig needs is checked against it). */
    public List<Acl> configNodeAcl() {
        return tree.node(CONFIG_NODE).acl;
    }

    /** What {@value #CONFIG_NODE} holds now: the configuration text, empty on a standalone server. */
    public byte[] configNodeData() {
        return tree.node(CONFIG_NODE).data();
    }

    public DataTree tree() {
        return tree;
    }

    /** ZooKeeper's tree digest and its history (hash); see {@link ZooKeeperDigest}. */
    public ZooKeeperDigest zooKeeperDigest() {
        return tree.zooKeeperDigest();
    }

    /** {@code zookeeper.digest.enabled=false}: no digest from now on, zeros in the history, as in ZooKeeper. */
    public void disableZooKeeperDigest() {
        tree.zooKeeperDigest().disable();
    }

    public long lastZxid() {
        return lastZxid;
    }

    /** Sets the session table and last zxid read from a snapshot (see TreeSnapshot); recovery only. */
    void restoreSessions(Map<Long, Integer> sessions, long zxid) {
        sessionTimeouts.clear();
        sessionTimeouts.putAll(sessions);
        // A loaded state counts every quota's usage afresh, as ZooKeeper's setupQuota does after a snapshot.
        quotas.recomputeAll();
        lastZxid = zxid;
    }

    public Map<Long, Integer> sessions() {
        return Collections.unmodifiableMap(sessionTimeouts);
    }

    // ---- for ZkReplay: transactions another server resolved, applied as ZooKeeper replays them ----------

    Quotas quotas() {
        return quotas;
    }

    Map<Long, Integer> sessionTable() {
        return sessionTimeouts;
    }

    void advanceTo(long zxid) {
        lastZxid = zxid;
    }

    /**
     * Becomes a copy of {@code other} in place, so every component holding this state machine sees the
     * installed snapshot; {@code other} must not be used afterwards.
     */
    public void restoreFrom(StateMachine other) {
        tree.replaceWith(other.tree);
        sessionTimeouts.clear();
        sessionTimeouts.putAll(other.sessionTimeouts);
        lastZxid = other.lastZxid;
    }

    public ApplyResult apply(Txn txn) {
        if (txn.zxid() <= lastZxid) {
            throw new IllegalStateException("zxid " + Long.toHexString(txn.zxid()) + " applied after "
                    + Long.toHexString(lastZxid));
        }
        lastZxid = txn.zxid();
        ApplyResult result = applyRequest(txn);
        // After the whole entry, failed or not, as ZooKeeper's processTxn logs it.
        tree.zooKeeperDigest().applied(txn.zxid());
        return result;
    }

    private ApplyResult applyRequest(Txn txn) {
        Request request = txn.request();
        List<Change> changes = new ArrayList<>(2);
        try {
            Response response = switch (request.opCode()) {
                case CREATE_SESSION -> {
                    sessionTimeouts.put(txn.sessionId(), ((CreateSessionRequest) request).timeoutMs());
                    yield null;
                }
                case CLOSE_SESSION -> {
                    closeSession(txn, changes);
                    yield null;
                }
                case MULTI -> multi(txn, (MultiRequest) request, changes);
                default -> applyOne(txn, request, changes);
            };
            return new ApplyResult(ErrorCode.OK, response, changes);
        } catch (KeeperError e) {
            return ApplyResult.error(e.code());
        }
    }

    private Response applyOne(Txn txn, Request request, List<Change> changes) throws KeeperError {
        return switch (request.opCode()) {
            case CREATE, CREATE2, CREATE_CONTAINER -> {
                CreateRequest r = (CreateRequest) request;
                yield create(txn, request.opCode(), r.path(), r.data(), r.acl(), r.flags(), -1, changes);
            }
            case CREATE_TTL -> {
                CreateTtlRequest r = (CreateTtlRequest) request;
                yield create(txn, OpCode.CREATE_TTL, r.path(), r.data(), r.acl(), r.flags(), r.ttl(), changes);
            }
            case DELETE -> {
                PathVersionRequest r = (PathVersionRequest) request;
                delete(txn, r.path(), r.version(), changes);
                yield null;
            }
            case CHECK -> {
                PathVersionRequest r = (PathVersionRequest) request;
                PathValidator.validate(r.path());
                Znode n = existing(r.path());
                checkAcl(n, Acl.READ, txn.identities());
                checkVersion(n.version, r.version());
                yield null;
            }
            case SET_DATA -> {
                SetDataRequest r = (SetDataRequest) request;
                PathValidator.validate(r.path());
                Znode n = existing(r.path());
                checkAcl(n, Acl.WRITE, txn.identities());
                byte[] before = n.data();
                checkQuota(txn, r.path(), length(r.data()) - length(before), 0);
                checkVersion(n.version, r.version());
                tree.setData(r.path(), r.data(), txn.zxid(), txn.timeMs());
                quotas.dataChanged(r.path(), before, r.data());
                changes.add(new Change(Change.Kind.DATA_CHANGED, r.path(), n.acl));
                yield new StatResponse(tree.stat(n(r.path())));
            }
            case SET_ACL -> {
                SetAclRequest r = (SetAclRequest) request;
                // ZooKeeper's order: the path, the new list, then the node, the permission and the version.
                PathValidator.validate(r.path());
                List<Acl> acl = fixupAcl(r.acl(), txn.identities());
                Znode n = existing(r.path());
                checkAcl(n, Acl.ADMIN, txn.identities());
                checkVersion(n.aversion(), r.version());
                tree.setAcl(r.path(), AclLists.share(acl));
                yield new StatResponse(tree.stat(n(r.path())));
            }
            case DELETE_CONTAINER -> {
                deleteContainer(txn, ((PathRequest) request).path(), changes);
                yield null;
            }
            case RECONFIG -> reconfigure(txn, (ConfigChange) request, changes);
            default -> throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        };
    }

    /**
     * A reconfiguration the leader resolved: {@value #CONFIG_NODE} takes the new configuration's text, with data
     * version -1, as ZooKeeper applies its reconfig txn, and the client gets the text and the node's stat. The
     * leader checked everything (permission included) before logging it; a refusal it logged is answered here.
     */
    private Response reconfigure(Txn txn, ConfigChange change, List<Change> changes) throws KeeperError {
        if (!change.changes()) {
            throw new KeeperError(change.error() == ErrorCode.OK ? ErrorCode.BAD_ARGUMENTS : change.error());
        }
        byte[] data = change.newConfig().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        tree.setLocalData(CONFIG_NODE, data, -1, txn.zxid(), txn.timeMs());
        changes.add(new Change(Change.Kind.DATA_CHANGED, CONFIG_NODE, n(CONFIG_NODE).acl));
        return new dev.paddock.wire.proto.GetDataResponse(data, tree.stat(n(CONFIG_NODE)));
    }

    private Response create(Txn txn, OpCode opCode, String path, byte[] data, List<Acl> acl, int flags, long ttl,
                            List<Change> changes) throws KeeperError {
        ErrorCode modeError = createModeError(opCode, flags, ttl, tree.extendedTypesEnabled());
        if (modeError != null) {
            throw new KeeperError(modeError);
        }
        CreateMode mode = CreateMode.ofFlag(flags);
        if (mode.ephemeral && !sessionTimeouts.containsKey(txn.sessionId())) {
            // ZooKeeper checks the session right after the mode, before anything about the path.
            throw new KeeperError(ErrorCode.SESSION_EXPIRED);
        }
        // ZooKeeper's order of checks: the slash and NUL test, the ACL list, the parent, the permission, then
        // the full (sequential) name; so "/a//b" is NoNode, not BadArguments. The request layer answers a
        // null path before it gets here (MarshallingError, as ZooKeeper does).
        int lastSlash = path == null ? -1 : path.lastIndexOf('/');
        if (lastSlash < 0 || path.indexOf('\0') >= 0) {
            throw new KeeperError(path == null ? ErrorCode.MARSHALLING_ERROR : ErrorCode.BAD_ARGUMENTS);
        }
        List<Acl> fixed = fixupAcl(acl, txn.identities());
        String parentPath = parentOf(path, lastSlash);
        Znode parent = tree.node(parentPath);
        if (parent == null) {
            throw new KeeperError(ErrorCode.NO_NODE);
        }
        checkAcl(parent, Acl.CREATE, txn.identities());
        if (mode.sequential) {
            path = path + String.format("%010d", parent.cversion());
        }
        PathValidator.validate(path);
        if (tree.exists(path)) {
            throw new KeeperError(ErrorCode.NODE_EXISTS);
        }
        if (EphemeralType.of(parent.ephemeralOwner(), tree.extendedTypesEnabled()) == EphemeralType.NORMAL) {
            throw new KeeperError(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);
        }
        checkQuota(txn, path, length(data), 1);
        Znode created = tree.create(path, parentPath, parent, data, AclLists.share(fixed),
                ownerOf(opCode, mode, ttl, txn.sessionId()), txn.zxid(), txn.timeMs());
        quotas.created(path, data);
        changes.add(new Change(Change.Kind.CREATED, path, created.acl));
        changes.add(new Change(Change.Kind.CHILDREN_CHANGED, parentPath, parent.acl));
        if (opCode == OpCode.CREATE) {
            return new PathResponse(path);
        }
        return new Create2Response(path, tree.stat(created));
    }

    /**
     * The kind of node a create makes. As in ZooKeeper, the opcode decides containers and TTL nodes, whatever
     * the flags say (createContainer with the ephemeral flag makes a container), and create or create2 with
     * the container flag makes a plain persistent node; only the ephemeral flag of create and create2 makes
     * an ephemeral.
     */
    private static long ownerOf(OpCode opCode, CreateMode mode, long ttl, long sessionId) {
        if (opCode == OpCode.CREATE_CONTAINER) {
            return EphemeralType.CONTAINER_OWNER;
        }
        if (opCode == OpCode.CREATE_TTL) {
            return EphemeralType.ttlOwner(ttl);
        }
        return mode.ephemeral ? sessionId : 0;
    }

    /**
     * The checks of a create that look only at the opcode, the flags and the TTL, which come before anything
     * else, as ZooKeeper's: an unknown mode is BadArguments; a TTL mode is Unimplemented without extended
     * types, and BadArguments with a TTL out of range (create and create2 carry none); a TTL given with
     * another mode is BadArguments. createTTL with another mode and no TTL (negative) is BadArguments too:
     * ZooKeeper accepts it and then fails to apply the logged transaction, which a replica must never do.
     * The opcode and the container flag need not agree (see {@link #ownerOf}). Null when they pass.
     */
    public static ErrorCode createModeError(OpCode opCode, int flags, long ttl, boolean extendedTypesEnabled) {
        CreateMode mode = CreateMode.ofFlag(flags);
        if (mode == null) {
            return ErrorCode.BAD_ARGUMENTS;
        }
        if (mode.isTtl()) {
            if (!extendedTypesEnabled) {
                return ErrorCode.UNIMPLEMENTED;
            }
            return ttl <= 0 || ttl > EphemeralType.MAX_TTL_MS ? ErrorCode.BAD_ARGUMENTS : null;
        }
        return ttl >= 0 || opCode == OpCode.CREATE_TTL ? ErrorCode.BAD_ARGUMENTS : null;
    }

    private List<Acl> fixupAcl(List<Acl> acl, List<Id> identities) throws KeeperError {
        // The fix-up depends on these two lists alone; a replay or a bulk load repeats the same pair for
        // every entry, so the last accepted pair's result is reused.
        if (acl != null && acl.equals(lastAclIn) && java.util.Objects.equals(identities, lastIdentitiesIn)) {
            return lastAclOut;
        }
        AclValidator.Fixed fixed = AclValidator.fixup(acl, identities);
        if (fixed.error() != null) {
            throw new KeeperError(fixed.error());
        }
        // Copies: a caller's list changed later must not change what the cache compares against.
        lastAclIn = java.util.Collections.unmodifiableList(new ArrayList<>(acl));
        lastIdentitiesIn = identities == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(identities));
        lastAclOut = fixed.acl();
        return fixed.acl();
    }

    private void delete(Txn txn, String path, int version, List<Change> changes) throws KeeperError {
        // Like ZooKeeper, delete checks only for a slash, NUL and the reserved nodes; the lookups do the rest.
        if (path == null) {
            throw new KeeperError(ErrorCode.MARSHALLING_ERROR);
        }
        int lastSlash = path.lastIndexOf('/');
        if (lastSlash < 0 || path.indexOf('\0') >= 0 || SPECIAL_PATHS.contains(path)) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        }
        Znode parent = existing(parentOf(path, lastSlash));
        checkAcl(parent, Acl.DELETE, txn.identities());
        Znode n = existing(path);
        checkVersion(n.version, version);
        if (n.numChildren() > 0) {
            throw new KeeperError(ErrorCode.NOT_EMPTY);
        }
        removeNode(txn, path, changes);
    }

    private void deleteContainer(Txn txn, String path, List<Change> changes) throws KeeperError {
        Znode n = existing(path);
        if (n.numChildren() > 0) {
            throw new KeeperError(ErrorCode.NOT_EMPTY);
        }
        EphemeralType type = EphemeralType.of(n.ephemeralOwner(), tree.extendedTypesEnabled());
        if (type != EphemeralType.CONTAINER && type != EphemeralType.TTL) {
            throw new KeeperError(ErrorCode.BAD_VERSION);
        }
        removeNode(txn, path, changes);
    }

    private void removeNode(Txn txn, String path, List<Change> changes) {
        String parentPath = PathValidator.parent(path);
        Znode node = n(path);
        byte[] data = node.data();
        List<Acl> acl = node.acl;
        tree.delete(path, txn.zxid());
        quotas.deleted(path, data);
        changes.add(new Change(Change.Kind.DELETED, path, acl));
        changes.add(new Change(Change.Kind.CHILDREN_CHANGED, parentPath, n(parentPath).acl));
    }

    private void closeSession(Txn txn, List<Change> changes) {
        sessionTimeouts.remove(txn.sessionId());
        // Sorted, so every replica deletes (and fires watches) in the same order.
        for (String path : new TreeSet<>(tree.ephemerals(txn.sessionId())).descendingSet()) {
            removeNode(txn, path, changes);
        }
    }

    /**
     * All or nothing: on the first failing op the tree is rolled back; the ops before it report OK, the
     * failing one its error, the ones after it RuntimeInconsistency, as ZooKeeper reports them. An op that
     * fails with MarshallingError fails the whole request instead.
     */
    private Response multi(Txn txn, MultiRequest multi, List<Change> changes) throws KeeperError {
        List<Request> ops = multi.ops();
        List<MultiResult> results = new ArrayList<>(ops.size());
        List<Change> pending = new ArrayList<>();
        tree.beginUndo();
        int failedAt = -1;
        ErrorCode failure = null;
        for (int i = 0; i < ops.size(); i++) {
            Request op = ops.get(i);
            try {
                Response body = applyOne(txn, op, pending);
                results.add(new MultiResult(resultType(op.opCode()), 0, body));
            } catch (KeeperError e) {
                if (e.code() == ErrorCode.MARSHALLING_ERROR) {
                    // A null that ZooKeeper trips over fails the whole request, not one operation.
                    tree.rollback();
                    throw e;
                }
                failedAt = i;
                failure = e.code();
                break;
            }
        }
        if (failure == null) {
            tree.commitUndo();
            changes.addAll(pending);
            return new MultiResponse(results);
        }
        tree.rollback();
        results.clear();
        for (int i = 0; i < ops.size(); i++) {
            ErrorCode code = i < failedAt ? ErrorCode.OK : i == failedAt ? failure : ErrorCode.RUNTIME_INCONSISTENCY;
            results.add(new MultiResult(OpCode.ERROR.code, code.code, new ErrorResponse(code.code)));
        }
        return new MultiResponse(results);
    }

    /** Container and TTL creates report as create2 inside a multi, the only create type clients parse there. */
    private static int resultType(OpCode op) {
        return op == OpCode.CREATE_CONTAINER || op == OpCode.CREATE_TTL ? OpCode.CREATE2.code : op.code;
    }

    /** The part of a path before its last slash, with "" meaning the root, as ZooKeeper splits it. */
    private static String parentOf(String path, int lastSlash) {
        return lastSlash == 0 ? "/" : path.substring(0, lastSlash);
    }

    private Znode existing(String path) throws KeeperError {
        Znode n = tree.node(path);
        if (n == null) {
            throw new KeeperError(ErrorCode.NO_NODE);
        }
        return n;
    }

    private Znode n(String path) {
        return tree.node(path);
    }

    private static void checkAcl(Znode n, int perm, List<Id> identities) throws KeeperError {
        if (!AclChecker.permitted(n.acl, perm, identities)) {
            throw new KeeperError(ErrorCode.NO_AUTH);
        }
    }

    /** Only when the member that took the request enforces quotas ({@link WritePolicy}). */
    private void checkQuota(Txn txn, String path, long bytesDiff, int countDiff) throws KeeperError {
        if (WritePolicy.enforcesQuota(txn.identities())) {
            quotas.check(path, bytesDiff, countDiff);
        }
    }

    private static long length(byte[] data) {
        return data == null ? 0 : data.length;
    }

    private static void checkVersion(int current, int expected) throws KeeperError {
        if (expected != -1 && expected != current) {
            throw new KeeperError(ErrorCode.BAD_VERSION);
        }
    }
}
