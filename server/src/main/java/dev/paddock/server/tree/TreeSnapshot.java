package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Id;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consistent snapshots of the state machine taken without stopping writes (copy-on-write).
 *
 * <p>{@link #capture} runs on the request thread between two applies: it copies the references of every
 * znode (not their contents) and installs a {@link Guard} in the tree. From then on, before the tree changes
 * an existing node it asks the guard to keep a copy of the node's fields as they were at capture time. A
 * snapshot thread then writes each node from that copy when there is one, else from the live node, under the
 * node's monitor, so it never sees a half-changed node. The result is exactly the state at the captured
 * zxid; replay after it never re-applies an entry whose effect is already in the snapshot.
 *
 * <p>The cost on the request thread is one pass over the node map (no serialization) plus, while the
 * snapshot is being written, one copy of each node changed for the first time.
 */
public final class TreeSnapshot {
    private static final int END_MARKER = 0x454e4421; // "END!"

    private TreeSnapshot() {
    }

    /** Keeps the capture-time fields of nodes changed while a snapshot is being written. */
    static final class Guard {
        private final ConcurrentHashMap<Znode, Znode> preserved = new ConcurrentHashMap<>();
        private volatile boolean finished;

        /** Request thread: called before {@code n} changes. */
        void beforeChange(Znode n) {
            if (finished || preserved.containsKey(n)) {
                return;
            }
            synchronized (n) {
                preserved.putIfAbsent(n, fieldsOf(n));
            }
        }

        int preservedCount() {
            return preserved.size();
        }
    }

    /** The fields a snapshot stores (the children table is shared, and not read: the loader relinks). */
    private static Znode fieldsOf(Znode n) {
        return n.fieldsOnly();
    }

    /** The state at one zxid, captured on the request thread and written on any thread. */
    public static final class Capture {
        private final DataTree tree;
        private final long zxid;
        /** Every node, parents first (see DataTree.forEachNode), with its depth, from which paths are rebuilt. */
        private final Znode[] nodes;
        private final int[] depths;
        private final Map<Long, Integer> sessions;
        private final Guard guard;

        private Capture(DataTree tree, long zxid, Znode[] nodes, int[] depths, Map<Long, Integer> sessions,
                        Guard guard) {
            this.tree = tree;
            this.zxid = zxid;
            this.nodes = nodes;
            this.depths = depths;
            this.sessions = sessions;
            this.guard = guard;
        }

        public long zxid() {
            return zxid;
        }

        public int nodeCount() {
            return nodes.length;
        }

        public int sessionCount() {
            return sessions.size();
        }

        /** How many nodes changed while the snapshot was written (and were copied for it). */
        public int copiedOnWrite() {
            return guard.preservedCount();
        }

        /**
         * Writes the body of the snapshot: sessions, the ACL table, then every node. Any thread; the request
         * thread keeps applying meanwhile. Marks the capture finished, so the tree stops copying.
         */
        public void writeTo(DataOutput out) throws IOException {
            try {
                out.writeInt(sessions.size());
                for (Map.Entry<Long, Integer> e : sessions.entrySet()) {
                    out.writeLong(e.getKey());
                    out.writeInt(e.getValue());
                }
                // Pass 1: the distinct ACL lists (nodes mostly share a few).
                Map<List<Acl>, Integer> aclIndex = new HashMap<>();
                List<List<Acl>> acls = new ArrayList<>();
                int[] nodeAcl = new int[nodes.length];
                for (int i = 0; i < nodes.length; i++) {
                    List<Acl> acl = aclOf(nodes[i]);
                    Integer idx = aclIndex.get(acl);
                    if (idx == null) {
                        idx = acls.size();
                        aclIndex.put(acl, idx);
                        acls.add(acl);
                    }
                    nodeAcl[i] = idx;
                }
                out.writeInt(acls.size());
                for (List<Acl> acl : acls) {
                    out.writeInt(acl.size());
                    for (Acl a : acl) {
                        out.writeInt(a.perms());
                        writeString(out, a.id().scheme());
                        writeString(out, a.id().id());
                    }
                }
                out.writeInt(nodes.length);
                // The path of the node last seen at each depth: a node's parent is the one at depth - 1.
                String[] prefix = new String[16];
                for (int i = 0; i < nodes.length; i++) {
                    Znode n = nodes[i];
                    int depth = depths[i];
                    if (depth == prefix.length) {
                        prefix = java.util.Arrays.copyOf(prefix, depth * 2);
                    }
                    // Copy the fields under the node's monitor, write outside it: the request thread never
                    // waits on I/O. The copy shares the node's body, which is never changed in place.
                    Znode v;
                    synchronized (n) {
                        v = guard.preserved.getOrDefault(n, n).fieldsOnly();
                    }
                    prefix[depth] = depth == 0 ? "/" : PathValidator.child(prefix[depth - 1], v.nameString());
                    writeString(out, prefix[depth]);
                    v.writeData(out);
                    out.writeInt(nodeAcl[i]);
                    out.writeLong(v.czxid);
                    out.writeLong(v.mzxid);
                    out.writeLong(v.pzxid());
                    out.writeLong(v.ctime);
                    out.writeLong(v.mtime);
                    out.writeInt(v.version);
                    out.writeInt(v.cversion());
                    out.writeInt(v.aversion());
                    out.writeLong(v.ephemeralOwner());
                }
                out.writeInt(END_MARKER);
            } finally {
                guard.finished = true;
            }
        }

        /** A node's capture-time ACL. */
        private List<Acl> aclOf(Znode n) {
            synchronized (n) {
                Znode p = guard.preserved.get(n);
                return p != null ? p.acl : n.acl;
            }
        }

        /** Request thread: removes the guard from the tree once the snapshot is written (or abandoned). */
        public void release() {
            guard.finished = true;
            if (tree.snapshotGuard() == guard) {
                tree.snapshotGuard(null);
            }
        }
    }

    /** Request thread only, between two applies. Only one capture may be open at a time. */
    public static Capture capture(StateMachine stateMachine) {
        DataTree tree = stateMachine.tree();
        if (tree.snapshotGuard() != null) {
            throw new IllegalStateException("a snapshot is already being written");
        }
        Capture capture = referencesOf(stateMachine, new Guard());
        tree.snapshotGuard(capture.guard);
        return capture;
    }

    /**
     * Request thread only: the body of a snapshot of the state as it is now, serialised before returning (a
     * leader's SNAP for a learner). Needs no guard, because nothing changes while it runs, so it works while
     * a {@link #capture} is being written.
     */
    public static byte[] serializeNow(StateMachine stateMachine) {
        Capture capture = referencesOf(stateMachine, new Guard());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            capture.writeTo(new java.io.DataOutputStream(bytes));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot serialise the tree in memory", e);
        }
        return bytes.toByteArray();
    }

    private static Capture referencesOf(StateMachine stateMachine, Guard guard) {
        DataTree tree = stateMachine.tree();
        Znode[] nodes = new Znode[tree.nodeCount()];
        int[] depths = new int[nodes.length];
        int[] i = {0};
        tree.forEachNode((n, depth) -> {
            nodes[i[0]] = n;
            depths[i[0]] = depth;
            i[0]++;
        });
        if (i[0] != nodes.length) {
            throw new IllegalStateException("the tree counts " + nodes.length + " nodes but holds " + i[0]);
        }
        return new Capture(tree, stateMachine.lastZxid(), nodes, depths, new TreeMap<>(stateMachine.sessions()),
                guard);
    }

    /** Reads a body written by {@link Capture#writeTo} into a new state machine at the snapshot's zxid. */
    public static StateMachine read(DataInput in, long zxid, boolean extendedTypesEnabled) throws IOException {
        StateMachine sm = new StateMachine(extendedTypesEnabled);
        DataTree tree = sm.tree();
        int sessionCount = count(in, "session");
        Map<Long, Integer> sessions = new TreeMap<>();
        for (int i = 0; i < sessionCount; i++) {
            sessions.put(in.readLong(), in.readInt());
        }
        int aclCount = count(in, "ACL list");
        List<List<Acl>> acls = new ArrayList<>(aclCount);
        for (int i = 0; i < aclCount; i++) {
            int n = count(in, "ACL");
            List<Acl> acl = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                int perms = in.readInt();
                acl.add(new Acl(perms, new Id(readString(in), readString(in))));
            }
            acls.add(AclLists.share(acl));
        }
        int nodeCount = count(in, "node");
        try {
            // Each node joins the tree as it is read: no array of every path and node waits for the last.
            tree.loadParentsFirst(put -> {
                String[] path = new String[1];
                try {
                    for (int i = 0; i < nodeCount; i++) {
                        Znode n = readNode(in, acls, path);
                        put.accept(path[0], n);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (IllegalArgumentException e) {
            throw new IOException("snapshot " + e.getMessage(), e);
        }
        if (in.readInt() != END_MARKER) {
            throw new IOException("snapshot body has no end marker");
        }
        if (tree.nodeCount() != nodeCount) {
            throw new IOException("snapshot holds " + nodeCount + " nodes but " + tree.nodeCount() + " distinct paths"
                    + " (or lacks the system nodes)");
        }
        sm.restoreSessions(sessions, zxid);
        return sm;
    }

    /** One node of the body; its path into {@code path[0]}. */
    private static Znode readNode(DataInput in, List<List<Acl>> acls, String[] path) throws IOException {
        String p = readString(in);
        if (p == null || p.isEmpty() || p.charAt(0) != '/') {
            throw new IOException("bad node path in snapshot: " + p);
        }
        int len = in.readInt();
        if (len < -1 || len > 256 * 1024 * 1024) {
            throw new IOException("bad data length " + len + " for " + p);
        }
        byte[] data = null;
        if (len >= 0) {
            data = new byte[len];
            in.readFully(data);
        }
        Znode n;
        try {
            n = new Znode(PathValidator.name(p), data);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad node path in snapshot: " + p, e);
        }
        int aclIdx = in.readInt();
        if (aclIdx < 0 || aclIdx >= acls.size()) {
            throw new IOException("bad ACL index " + aclIdx + " for " + p);
        }
        n.acl = acls.get(aclIdx);
        n.czxid = in.readLong();
        n.mzxid = in.readLong();
        n.pzxid(in.readLong());
        n.ctime = in.readLong();
        n.mtime = in.readLong();
        n.version = in.readInt();
        n.cversion(in.readInt());
        n.aversion(in.readInt());
        n.ephemeralOwner(in.readLong());
        path[0] = p;
        return n;
    }

    private static int count(DataInput in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 500_000_000) {
            throw new IOException("bad " + what + " count " + n);
        }
        return n;
    }

    private static void writeString(DataOutput out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInput in) throws IOException {
        int len = in.readInt();
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > 64 * 1024 * 1024) {
            throw new IOException("bad string length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
