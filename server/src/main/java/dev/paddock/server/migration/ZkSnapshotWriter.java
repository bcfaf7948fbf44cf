package dev.paddock.server.migration;

import dev.paddock.wire.proto.Acl;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Adler32;
import java.util.zip.CheckedOutputStream;

/**
 * Writes a {@link ZkTree} and its sessions as a ZooKeeper snapshot file (reference section A.2: header,
 * sessions, ACL cache, nodes parents first with the root as {@code ""}, the {@code "/"} terminator, the
 * Adler32 seal), so {@link ZkSnapshotReader} (and ZooKeeper) read it back. Written to a temporary file,
 * forced and renamed, so a crash leaves the old file or the new one.
 */
public final class ZkSnapshotWriter {
    private static final int VERSION = 2;
    private static final long NO_DBID = -1;

    private ZkSnapshotWriter() {
    }

    public static void write(Path file, ZkTree tree, Map<Long, Integer> sessions) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileOutputStream fos = new FileOutputStream(tmp.toFile())) {
            CheckedOutputStream sum = new CheckedOutputStream(new BufferedOutputStream(fos, 1 << 16), new Adler32());
            DataOutputStream out = new DataOutputStream(sum);
            out.writeInt(ZkSnapshotReader.MAGIC);
            out.writeInt(VERSION);
            out.writeLong(NO_DBID);
            out.writeInt(sessions.size());
            for (Map.Entry<Long, Integer> s : sessions.entrySet()) {
                out.writeLong(s.getKey());
                out.writeInt(s.getValue());
            }
            Map<List<Acl>, Long> refs = aclCache(out, tree);
            nodes(out, tree, refs);
            JuteOutput.writeString(out, "/");
            out.writeLong(sum.getChecksum().getValue());
            JuteOutput.writeString(out, "/");
            out.flush();
            fos.getFD().sync();
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** One reference per distinct ACL list; a node whose ACL was unknown keeps a reference the cache lacks. */
    private static Map<List<Acl>, Long> aclCache(DataOutputStream out, ZkTree tree) throws IOException {
        Map<List<Acl>, Long> refs = new HashMap<>();
        for (ZkNode n : tree.nodes.values()) {
            if (n.acl != null) {
                refs.computeIfAbsent(n.acl, k -> (long) refs.size() + 1);
            }
        }
        out.writeInt(refs.size());
        for (Map.Entry<List<Acl>, Long> e : refs.entrySet()) {
            out.writeLong(e.getValue());
            out.writeInt(e.getKey().size());
            for (Acl a : e.getKey()) {
                out.writeInt(a.perms());
                JuteOutput.writeString(out, a.id().scheme());
                JuteOutput.writeString(out, a.id().id());
            }
        }
        return refs;
    }

    /** Every node, each after its parent (a depth-first walk from the root). */
    private static void nodes(DataOutputStream out, ZkTree tree, Map<List<Acl>, Long> refs) throws IOException {
        long dangling = refs.size() + 1L;
        ArrayDeque<String> todo = new ArrayDeque<>();
        todo.push("");
        while (!todo.isEmpty()) {
            String path = todo.pop();
            ZkNode n = tree.nodes.get(path);
            JuteOutput.writeString(out, path);
            JuteOutput.writeBuffer(out, n.data);
            out.writeLong(n.acl == null ? dangling : refs.get(n.acl));
            out.writeLong(n.czxid);
            out.writeLong(n.mzxid);
            out.writeLong(n.ctime);
            out.writeLong(n.mtime);
            out.writeInt(n.version);
            out.writeInt(n.cversion);
            out.writeInt(n.aversion);
            out.writeLong(n.ephemeralOwner);
            out.writeLong(n.pzxid);
            if (n.children != null) {
                for (String child : n.children) {
                    todo.push(path + "/" + child);
                }
            }
        }
    }


}
