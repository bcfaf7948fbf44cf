package dev.paddock.server.migration;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * ZooKeeper's tree digest (digest version 2), which 3.6+ writes after every logged transaction: the wrapping
 * sum, over every node whose path does not start with {@code /zookeeper/}, of the CRC32 of the path (the
 * root as {@code ""}), the data, and the stat as 60 bytes (czxid, mzxid, pzxid, ctime, mtime, version,
 * cversion, aversion, ephemeralOwner). Comparing it with the last transaction's digest checks the whole
 * restored tree against what ZooKeeper itself computed.
 */
final class ZkDigest {
    private ZkDigest() {
    }

    static long of(ZkTree tree) {
        long sum = 0;
        ByteBuffer stat = ByteBuffer.allocate(60);
        CRC32 crc = new CRC32();
        for (Map.Entry<String, ZkNode> e : tree.nodes.entrySet()) {
            String path = e.getKey();
            if (path.startsWith("/zookeeper/")) {
                continue;
            }
            ZkNode n = e.getValue();
            stat.clear();
            stat.putLong(n.czxid).putLong(n.mzxid).putLong(n.pzxid).putLong(n.ctime).putLong(n.mtime)
                    .putInt(n.version).putInt(n.cversion).putInt(n.aversion).putLong(n.ephemeralOwner);
            crc.reset();
            crc.update(path.getBytes(StandardCharsets.UTF_8));
            if (n.data != null) {
                crc.update(n.data);
            }
            crc.update(stat.array());
            sum += crc.getValue();
        }
        return sum;
    }
}
