package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic digest of the whole state: every node (path, data, ACL, full stat) in path order, the
 * session table and the last zxid. Two state machines with equal digests answer every read the same way.
 * For tests and the check tool; it sorts every path, so it is not for the request thread of a big tree.
 * {@value StateMachine#CONFIG_NODE} counts as the state machine creates it (no data, version 0, mzxid and
 * mtime 0) whatever it holds: its data and those stat fields are each member's local copy of its config,
 * set outside the log (see {@link StateMachine#setLocalConfig}), and digests of data directories written
 * before it was set stay what they were.
 */
public final class TreeDigest {
    private TreeDigest() {
    }

    /** Every path in the tree, sorted. */
    public static List<String> sortedPaths(StateMachine stateMachine) {
        List<String> paths = new ArrayList<>(stateMachine.tree().nodeCount());
        stateMachine.tree().forEachNode((path, n, depth) -> paths.add(path));
        Collections.sort(paths);
        return paths;
    }

    public static String of(StateMachine stateMachine) {
        MessageDigest sha = sha256();
        Map<String, Znode> nodes = new TreeMap<>();
        stateMachine.tree().forEachNode((path, n, depth) -> nodes.put(path, n));
        List<String> paths = new ArrayList<>(nodes.keySet());
        ByteBuffer buf = ByteBuffer.allocate(128);
        for (String path : paths) {
            Znode n = digested(path, nodes.get(path));
            sha.update(path.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            buf.clear();
            buf.putInt(n.dataLength());
            buf.putLong(n.czxid).putLong(n.mzxid).putLong(n.pzxid()).putLong(n.ctime).putLong(n.mtime);
            buf.putInt(n.version).putInt(n.cversion()).putInt(n.aversion()).putLong(n.ephemeralOwner());
            buf.putInt(n.numChildren());
            buf.putInt(n.acl.size());
            sha.update(buf.array(), 0, buf.position());
            n.digestData(sha);
            for (Acl a : n.acl) {
                sha.update(ByteBuffer.allocate(4).putInt(a.perms()).array());
                sha.update((a.id().scheme() + "\u0000" + a.id().id() + "\u0000").getBytes(StandardCharsets.UTF_8));
            }
        }
        buf.clear();
        buf.putLong(stateMachine.lastZxid()).putInt(stateMachine.sessions().size());
        sha.update(buf.array(), 0, buf.position());
        for (Map.Entry<Long, Integer> e : stateMachine.sessions().entrySet()) {
            sha.update(ByteBuffer.allocate(12).putLong(e.getKey()).putInt(e.getValue()).array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * A 64-bit digest of the same state as {@link #of}: every node's path, data, ACL and stat (with its child
     * count), the session table and the last zxid. It sums one mixed hash per node, so it needs no sorting
     * and does not depend on the node map's order; cheap enough for the glue simulation to take after every
     * applied entry on every member. Not for anything adversarial: collisions are merely unlikely.
     */
    public static long fingerprint(StateMachine stateMachine) {
        long[] sum = {0};
        stateMachine.tree().forEachNode((path, n, depth) -> sum[0] += mix(nodeHash(path, digested(path, n))));
        long h = mix(sum[0] ^ 0x6a09e667f3bcc909L) ^ stateMachine.lastZxid();
        for (Map.Entry<Long, Integer> e : stateMachine.sessions().entrySet()) {
            h = mix(h + e.getKey()) ^ e.getValue();
        }
        return mix(h);
    }

    /** The node as digested: the config node without its local data and stat fields. */
    private static Znode digested(String path, Znode n) {
        if (!path.equals(StateMachine.CONFIG_NODE)) {
            return n;
        }
        Znode c = n.fieldsOnly();
        c.data(new byte[0]);
        c.version = 0;
        c.mzxid = 0;
        c.mtime = 0;
        return c;
    }

    private static long nodeHash(String path, Znode n) {
        long h = path.hashCode();
        byte[] data = n.data();
        h = mix(h + (data == null ? -1 : java.util.Arrays.hashCode(data)));
        h = mix(h + n.czxid) ^ n.mzxid;
        h = mix(h + n.pzxid()) ^ n.ctime;
        h = mix(h + n.mtime) ^ n.version;
        h = mix(h + n.cversion()) ^ n.aversion();
        h = mix(h + n.ephemeralOwner()) ^ n.numChildren();
        return mix(h + n.acl.hashCode());
    }

    /** A 64-bit finaliser (splitmix64's): every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
