package dev.paddock.server.migration;

import dev.paddock.server.tree.TreeSnapshot;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A ZooKeeper snapshot file (what ZooKeeper's AdminServer snapshot command streams, uncompressed) as the
 * body of a Paddock snapshot, so the AdminServer's restore takes a snapshot of either server: read as an
 * import reads it ({@link ZkSnapshotReader}, checked against its Adler32 seal), built into Paddock's state
 * machine with the configuration node left empty (the restoring server's own goes there, as after an
 * import), then serialised as Paddock's snapshot body. Sessions are the snapshot's.
 */
public final class ZkSnapshotBody {
    private ZkSnapshotBody() {
    }

    /** True when the file begins with ZooKeeper's snapshot magic ("ZKSN"). */
    public static boolean isZooKeeperSnapshot(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && new DataInputStream(new java.io.ByteArrayInputStream(head)).readInt()
                    == ZkSnapshotReader.MAGIC;
        }
    }

    /**
     * Paddock's snapshot body of the ZooKeeper snapshot in {@code file}.
     *
     * @throws IOException (an {@link ImportException} naming the offset) when it is not a whole, valid snapshot
     */
    public static byte[] read(Path file, boolean extendedTypes) throws IOException {
        ZkSnapshotReader.Snapshot zk = ZkSnapshotReader.read(file, 0, extendedTypes);
        if (zk.danglingAcls() > 0) {
            throw new ImportException(zk.danglingAcls() + " nodes refer to ACLs the snapshot does not hold");
        }
        return TreeSnapshot.serializeNow(ZooKeeperImport.toImported(zk.tree(), zk.sessions(), 0, extendedTypes));
    }
}
