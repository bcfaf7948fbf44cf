package dev.paddock.server.tree;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.zip.CRC32;

/**
 * ZooKeeper 3.9's tree digest (digest version 2), kept as ZooKeeper keeps it: the wrapping sum, over every
 * node whose path does not start with {@code /zookeeper/}, of the CRC32 of the path (the root as ""), the
 * data and the persisted stat as 60 bytes (czxid, mzxid, pzxid, ctime, mtime, version, cversion as stored,
 * i.e. child creates, aversion, the raw ephemeralOwner). {@link DataTree} subtracts a node's term before it
 * changes and adds it back after, so the value follows every change at the cost of two CRCs per touched node;
 * the same nodes with the same stats give ZooKeeper's value whatever order they came in, which is why an
 * imported ZooKeeper data directory shows the digest ZooKeeper logged.
 *
 * <p>After every applied entry (a whole multi counts once) {@link #applied} notes the value; every 128th
 * zxid ({@code zxid % 128 == 0}, the epoch included, as ZooKeeper tests it) goes into a history of the last
 * 1,024, which {@code hash} and the AdminServer's {@code hash} print. Switched off
 * ({@code zookeeper.digest.enabled=false}) nothing is computed and the history holds zeros, as ZooKeeper's
 * does. Used on the thread that applies entries only.
 */
public final class ZooKeeperDigest {
    /** ZooKeeper's DigestCalculator version for this calculation. */
    public static final int VERSION = 2;
    /** Every how many zxids the history takes an entry (ZooKeeper's DIGEST_LOG_INTERVAL). */
    public static final int LOG_INTERVAL = 128;
    /** How many entries the history keeps (ZooKeeper's DIGEST_LOG_LIMIT). */
    public static final int LOG_LIMIT = 1024;
    private static final String EXCLUDED_SUBTREE = "/zookeeper/";
    private static final int STAT_BYTES = 60;

    /** One history entry: the digest after the entry with this zxid was applied. */
    public record Entry(long zxid, int version, long digest) {
    }

    private boolean enabled = true;
    private long value;
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private final ByteBuffer stat = ByteBuffer.allocate(STAT_BYTES);

    public boolean enabled() {
        return enabled;
    }

    /** The digest of the tree as it is now (0 when switched off). */
    public long value() {
        return value;
    }

    /** The history, oldest first: a copy. */
    public List<Entry> history() {
        return List.copyOf(history);
    }

    /** Switches the digest off for good, as {@code zookeeper.digest.enabled=false}: value 0 from now on. */
    void disable() {
        enabled = false;
        value = 0;
    }

    /** A node's term joins the sum (a node created, or changed: the new state). */
    void add(String path, Znode n) {
        if (enabled && counted(path)) {
            value += termOf(path, n);
        }
    }

    /** A node's term leaves the sum (a node deleted, or about to change: the old state). */
    void remove(String path, Znode n) {
        if (enabled && counted(path)) {
            value -= termOf(path, n);
        }
    }

    /** Counting starts again from no node (a tree about to be loaded node by node). */
    void startCounting() {
        value = 0;
    }

    /** A failed multi puts every node back, so the value it had before comes back with them. */
    void restoreValue(long saved) {
        value = saved;
    }

    /** After an entry is applied: ZooKeeper's logZxidDigest. */
    void applied(long zxid) {
        if (zxid % LOG_INTERVAL != 0) {
            return;
        }
        history.addLast(new Entry(zxid, VERSION, value));
        if (history.size() > LOG_LIMIT) {
            history.removeFirst();
        }
    }

    /**
     * Becomes the digest of a tree that replaced this one (recovery's result, a leader's snapshot): the other's
     * value when both are switched on (it followed every change of that tree), else recomputed over
     * {@code tree} (so a tree built while switched off is counted as this one is); and the other's history,
     * with zeros when this digest is off. Taking the value over spares a restart a walk of the whole tree.
     */
    void takeOver(ZooKeeperDigest other, DataTree tree) {
        if (enabled && other.enabled) {
            value = other.value;
        } else {
            recount(tree);
        }
        history.clear();
        for (Entry e : other.history) {
            history.addLast(enabled ? e : new Entry(e.zxid(), e.version(), 0));
        }
    }

    /** The value counted afresh over every node of {@code tree} (a tree loaded whole). */
    void recount(DataTree tree) {
        value = 0;
        tree.forEachNode((DataTree.NodeVisitor) (path, n, depth) -> add(path, n));
    }

    private static boolean counted(String path) {
        return !path.startsWith(EXCLUDED_SUBTREE);
    }

    /** ZooKeeper's DigestCalculator.calculateDigest for one node. */
    private long termOf(String path, Znode n) {
        stat.clear();
        stat.putLong(n.czxid).putLong(n.mzxid).putLong(n.pzxid()).putLong(n.ctime).putLong(n.mtime)
                .putInt(n.version).putInt(n.cversion()).putInt(n.aversion()).putLong(n.ephemeralOwner());
        crc.reset();
        // "/" and "" both name the root in ZooKeeper, which digests it as "".
        if (!path.equals("/")) {
            crc.update(path.getBytes(StandardCharsets.UTF_8));
        }
        n.crcData(crc);
        crc.update(stat.array(), 0, STAT_BYTES);
        return crc.getValue();
    }
}
