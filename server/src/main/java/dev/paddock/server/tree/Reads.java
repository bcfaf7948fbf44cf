package dev.paddock.server.tree;

import dev.paddock.server.auth.AclChecker;
import dev.paddock.server.auth.DigestAuth;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.GetAclResponse;
import dev.paddock.wire.proto.GetChildren2Response;
import dev.paddock.wire.proto.GetDataResponse;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.Stat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Read-only queries on the tree with ZooKeeper's ACL checks. Reads never change the state. */
public final class Reads {
    private final DataTree tree;

    public Reads(DataTree tree) {
        this.tree = tree;
    }

    /**
     * exists: NUL is BadArguments; an existing node needs READ (ZooKeeper 3.9); a missing node is null, so
     * the caller can still leave a watch for its creation.
     */
    public Stat exists(String path, List<Id> identities) throws KeeperError {
        if (path.indexOf('\0') >= 0) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        }
        Znode n = tree.lookup(path);
        if (n == null) {
            return null;
        }
        if (!AclChecker.permitted(n.acl, Acl.READ, identities)) {
            throw new KeeperError(ErrorCode.NO_AUTH);
        }
        return tree.stat(n);
    }

    public GetDataResponse getData(String path, List<Id> identities) throws KeeperError {
        Znode n = readable(path, Acl.READ, identities);
        return new GetDataResponse(n.data(), tree.stat(n));
    }

    public List<String> getChildren(String path, List<Id> identities) throws KeeperError {
        Znode n = readable(path, Acl.READ, identities);
        return n.childNames();
    }

    public GetChildren2Response getChildren2(String path, List<Id> identities) throws KeeperError {
        Znode n = readable(path, Acl.READ, identities);
        return new GetChildren2Response(n.childNames(), tree.stat(n));
    }

    /**
     * getACL needs READ or ADMIN; without ADMIN the digest hashes are hidden, as ZooKeeper hides them
     * (ZOOKEEPER-1392).
     */
    public GetAclResponse getAcl(String path, List<Id> identities) throws KeeperError {
        Znode n = readable(path, Acl.READ | Acl.ADMIN, identities);
        List<Acl> acl = n.acl;
        if (!AclChecker.permitted(acl, Acl.ADMIN, identities)) {
            List<Acl> redacted = new ArrayList<>(acl.size());
            for (Acl a : acl) {
                redacted.add(DigestAuth.SCHEME.equals(a.id().scheme())
                        ? new Acl(a.perms(), new Id(a.id().scheme(), DigestAuth.userOf(a.id().id()) + ":x")) : a);
            }
            acl = redacted;
        }
        return new GetAclResponse(acl, tree.stat(n));
    }

    public int allChildrenNumber(String path, List<Id> identities) throws KeeperError {
        readable(path, Acl.READ, identities);
        int count = 0;
        Deque<Znode> todo = new ArrayDeque<>();
        todo.push(tree.lookup(path));
        while (!todo.isEmpty()) {
            ChildTable children = todo.pop().children();
            if (children == null) {
                continue;
            }
            for (Znode child : children) {
                count++;
                todo.push(child);
            }
        }
        return count;
    }

    /**
     * getEphemerals: the session's ephemerals under a prefix compared as a plain string, not a path. As in
     * ZooKeeper, a prefix that is blank or "/" once trimmed means every one, otherwise the prefix is
     * compared untrimmed.
     */
    public List<String> ephemerals(long sessionId, String prefix) {
        boolean all = prefix == null || prefix.trim().isEmpty() || prefix.trim().equals("/");
        List<String> result = new ArrayList<>();
        for (String path : tree.ephemerals(sessionId)) {
            if (all || path.startsWith(prefix)) {
                result.add(path);
            }
        }
        return result;
    }

    private Znode readable(String path, int perm, List<Id> identities) throws KeeperError {
        Znode n = tree.lookup(path);
        if (n == null) {
            throw new KeeperError(ErrorCode.NO_NODE);
        }
        if (!AclChecker.permitted(n.acl, perm, identities)) {
            throw new KeeperError(ErrorCode.NO_AUTH);
        }
        return n;
    }
}
