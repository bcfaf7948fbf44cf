package dev.paddock.server.migration;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Id;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads one ZooKeeper snapshot ({@code snapshot.<zxid>}, plain, {@code .gz} or {@code .snappy}) into a
 * {@link ZkTree} and a session table. Layout (all after decompression): FileHeader ({@code "ZKSN"}, version,
 * dbid); the sessions (count, then id and timeout each); the ACL cache (count, then a reference and an ACL
 * list each); the nodes, parents first ({@code path, data, aclRef, StatPersisted}), the root under the path
 * {@code ""}, ended by the path {@code "/"}; a seal (the running Adler32 of every byte before it, then
 * {@code "/"}); then up to two optional sections, each followed by its own seal: the tree digest
 * ({@code zxid, int version, digest}) and, from 3.9, the last processed zxid. The optional sections carry no
 * marker, so they are told apart by where the seal falls.
 */
public final class ZkSnapshotReader {
    static final int MAGIC = 0x5A4B534E;
    private static final int MAX_DATA = 256 << 20;
    private static final int MAX_STRING = 16 << 20;
    static final List<Acl> OPEN = List.of(new Acl(31, new Id("world", "anyone")));

    /** What a snapshot held. Nodes whose ACL reference was not in the cache have a null ACL. */
    public record Snapshot(Path file, long zxid, ZkTree tree, Map<Long, Integer> sessions, int danglingAcls) {
    }

    private final JuteStream in;
    private final Path file;

    private ZkSnapshotReader(JuteStream in, Path file) {
        this.in = in;
        this.file = file;
    }

    public static Snapshot read(Path file, long zxid, boolean extendedTypes) throws IOException {
        try (InputStream raw = open(file)) {
            ZkSnapshotReader r = new ZkSnapshotReader(new JuteStream(raw, file), file);
            try {
                return r.body(zxid, extendedTypes);
            } catch (EOFException e) {
                throw r.in.error("snapshot is truncated");
            } catch (IllegalArgumentException e) {
                throw r.in.error(e.getMessage());
            } catch (ImportException e) {
                throw e;
            } catch (IOException e) {
                // A broken gzip or snappy stream: say where in the uncompressed bytes it broke.
                throw ImportException.at(file, r.in.offset(), "cannot decompress: " + e.getMessage(), e);
            }
        }
    }

    /**
     * The snapshot a ZooKeeper leader streams to a learner after its SNAP packet: the sessions and the data
     * tree as in a snapshot file, but with no file header, no seals and no digest (the learner protocol's
     * {@code ZKDatabase.serializeSnapshot}); what follows it (the protocol's signature) is left unread.
     *
     * @param source names the stream in errors (the leader's address)
     */
    public static Snapshot readLearnerSnapshot(JuteStream in, Path source, long zxid, boolean extendedTypes)
            throws IOException {
        ZkSnapshotReader r = new ZkSnapshotReader(in, source);
        try {
            Map<Long, Integer> sessions = r.sessions();
            Map<Long, List<Acl>> acls = r.aclCache();
            ZkTree tree = new ZkTree(extendedTypes);
            int dangling = r.nodes(tree, acls);
            if (!tree.nodes.containsKey("")) {
                throw in.error("snapshot has no root node");
            }
            return new Snapshot(source, zxid, tree, sessions, dangling);
        } catch (IllegalArgumentException e) {
            throw in.error(e.getMessage());
        }
    }

    /** The decompressed stream, chosen by the file's suffix as ZooKeeper's SnapStream chooses it. */
    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        String name = file.getFileName().toString();
        try {
            if (name.endsWith(".gz")) {
                return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            }
            if (name.endsWith(".snappy")) {
                return new BufferedInputStream(new SnappyStream(raw), 1 << 16);
            }
            return raw;
        } catch (IOException e) {
            raw.close();
            throw new ImportException(file + ": cannot decompress: " + e.getMessage(), e);
        }
    }

    private Snapshot body(long zxid, boolean extendedTypes) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw ImportException.at(file, 0, "not a ZooKeeper snapshot (magic 0x" + Integer.toHexString(magic) + ")");
        }
        in.readInt();
        in.readLong();
        Map<Long, Integer> sessions = sessions();
        Map<Long, List<Acl>> acls = aclCache();
        ZkTree tree = new ZkTree(extendedTypes);
        int dangling = nodes(tree, acls);
        seal();
        for (int section = 0; section < 2 && !in.atEnd(); section++) {
            optionalSection();
        }
        if (!in.atEnd()) {
            throw in.error("unexpected bytes after the last seal");
        }
        if (!tree.nodes.containsKey("")) {
            throw ImportException.at(file, in.offset(), "snapshot has no root node");
        }
        return new Snapshot(file, zxid, tree, sessions, dangling);
    }

    private Map<Long, Integer> sessions() throws IOException {
        int n = count("sessions");
        Map<Long, Integer> sessions = new HashMap<>();
        for (int i = 0; i < n; i++) {
            sessions.put(in.readLong(), in.readInt());
        }
        return sessions;
    }

    private Map<Long, List<Acl>> aclCache() throws IOException {
        int n = count("ACL cache entries");
        Map<Long, List<Acl>> acls = new HashMap<>();
        for (int i = 0; i < n; i++) {
            long ref = in.readLong();
            int size = in.readInt();
            if (size < 0 || size > 1 << 20) {
                throw in.error("bad ACL list size " + size + " for reference " + ref);
            }
            List<Acl> list = new ArrayList<>(size);
            for (int j = 0; j < size; j++) {
                int perms = in.readInt();
                list.add(new Acl(perms, new Id(in.readString("ACL scheme", MAX_STRING),
                        in.readString("ACL id", MAX_STRING))));
            }
            acls.put(ref, List.copyOf(list));
        }
        return acls;
    }

    private int nodes(ZkTree tree, Map<Long, List<Acl>> acls) throws IOException {
        int dangling = 0;
        while (true) {
            long at = in.offset();
            String path = in.readString("node path", MAX_STRING);
            if (path == null) {
                throw ImportException.at(file, at, "null node path");
            }
            if (path.equals("/")) {
                return dangling;
            }
            if (!path.isEmpty() && path.charAt(0) != '/') {
                throw ImportException.at(file, at, "bad node path " + path);
            }
            ZkNode n = new ZkNode();
            n.data = in.readBuffer("data of " + path, MAX_DATA);
            long ref = in.readLong();
            n.acl = ref == -1 ? OPEN : acls.get(ref);
            if (n.acl == null) {
                dangling++;
            }
            n.czxid = in.readLong();
            n.mzxid = in.readLong();
            n.ctime = in.readLong();
            n.mtime = in.readLong();
            n.version = in.readInt();
            n.cversion = in.readInt();
            n.aversion = in.readInt();
            n.ephemeralOwner = in.readLong();
            n.pzxid = in.readLong();
            if (tree.nodes.containsKey(path)) {
                throw ImportException.at(file, at, "node " + path + " appears twice");
            }
            try {
                tree.putFromSnapshot(path, n);
            } catch (IllegalArgumentException e) {
                throw ImportException.at(file, at, e.getMessage());
            }
        }
    }

    /** A seal: the running Adler32 of every byte before it (0 is accepted, as ZooKeeper accepts it), then "/". */
    private void seal() throws IOException {
        long expected = in.checksum();
        long at = in.offset();
        long value = in.readLong();
        if (value != 0 && value != expected) {
            throw ImportException.at(file, at, "checksum mismatch (seal says 0x" + Long.toHexString(value)
                    + ", content has 0x" + Long.toHexString(expected) + ")");
        }
        String slash = in.readString("seal path", MAX_STRING);
        if (!"/".equals(slash)) {
            throw ImportException.at(file, at + 8, "seal is not followed by \"/\"");
        }
    }

    /**
     * A digest section ({@code long zxid, int version, digest}) or a last-zxid section ({@code long zxid}),
     * told apart by whether a seal follows the first long: a seal's high 32 bits are zero (an Adler32) and
     * its low ones match the running checksum, which a digest version and digest would have to forge.
     */
    private void optionalSection() throws IOException {
        in.readLong();
        long checksumHere = in.checksum();
        long at = in.offset();
        int first = in.readInt();
        if (first == 0) {
            int second = in.readInt();
            if ((second & 0xffffffffL) == checksumHere) {
                String slash = in.readString("seal path", MAX_STRING);
                if (!"/".equals(slash)) {
                    throw ImportException.at(file, at + 8, "seal is not followed by \"/\"");
                }
                return;
            }
            throw ImportException.at(file, at, "unreadable section after the nodes (digest version 0)");
        }
        if (first >= 2) {
            in.readLong();
        } else {
            // Digest versions before 2 stored the digest as a hex string.
            in.readString("digest", MAX_STRING);
        }
        seal();
    }

    private int count(String what) throws IOException {
        long at = in.offset();
        int n = in.readInt();
        if (n < 0) {
            throw ImportException.at(file, at, "bad count " + n + " of " + what);
        }
        return n;
    }
}
