package dev.paddock.server.tree;

import dev.paddock.wire.ErrorCode;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper's quotas, kept in the tree as ZooKeeper 3.9.5 keeps them. A quota on {@code /p} is the node
 * {@code /zookeeper/quota/p/zookeeper_limits} (its limits, {@link QuotaText}); its usage is
 * {@code /zookeeper/quota/p/zookeeper_stats}, the number of nodes in the subtree of {@code /p} (itself
 * included) and the bytes of their data. A create, delete or setData under {@code /p} changes the usage of the
 * deepest quota at or above its path; the stats node's data changes without any stat field changing (no
 * version, mzxid or mtime), as ZooKeeper changes it outside its transaction. Creating a stats node counts
 * its subtree afresh (whatever data the creator gave), and {@link #recomputeAll} does so for every quota when
 * a state is loaded, as ZooKeeper's {@code setupQuota} does after reading a snapshot.
 *
 * <p>Which quota covers a path is read from the tree (the limits nodes at and above the path) rather than
 * from an index, so nothing else needs restoring after a failed multi or a snapshot; ZooKeeper's own index
 * (a path trie) holds the same paths. Everything here is part of the state machine: deterministic, no I/O
 * but the warning of an exceeded quota, which ZooKeeper also logs.
 */
final class Quotas {
    private static final Logger LOG = LoggerFactory.getLogger(Quotas.class);
    static final String ROOT = "/zookeeper/quota";
    static final String LIMITS = "zookeeper_limits";
    static final String STATS = "zookeeper_stats";

    private final DataTree tree;

    Quotas(DataTree tree) {
        this.tree = tree;
    }

    // ---- usage ------------------------------------------------------------------------------------------

    void created(String path, byte[] data) {
        String parent = PathValidator.parent(path);
        if (parent.startsWith(ROOT) && STATS.equals(PathValidator.name(path))) {
            recompute(parent.substring(ROOT.length()));
        }
        add(quotaOf(path, false), length(data), 1);
    }

    void deleted(String path, byte[] data) {
        add(quotaOf(path, false), -length(data), -1);
    }

    void dataChanged(String path, byte[] before, byte[] after) {
        add(quotaOf(path, false), length(after) - length(before), 0);
    }

    private void add(String quota, long bytes, int count) {
        if (quota == null) {
            return;
        }
        String statsPath = ROOT + quota + "/" + STATS;
        Znode stats = tree.node(statsPath);
        if (stats == null) {
            return;
        }
        QuotaText usage = QuotaText.parse(stats.data());
        if (usage == null) {
            LOG.warn("quota stats node {} does not parse; its usage is not updated", statsPath);
            return;
        }
        usage.set(QuotaText.COUNT, usage.get(QuotaText.COUNT) + count);
        usage.set(QuotaText.BYTES, usage.get(QuotaText.BYTES) + bytes);
        tree.replaceDataOnly(statsPath, usage.bytes());
    }

    /** Every quota's usage counted from the tree: each leaf limits node's stats node gets count and bytes. */
    void recomputeAll() {
        if (tree.node(ROOT) == null) {
            return;
        }
        String suffix = "/" + LIMITS;
        Deque<String> pending = new ArrayDeque<>();
        pending.push(ROOT);
        while (!pending.isEmpty()) {
            String path = pending.pop();
            Znode n = tree.node(path);
            if (n.numChildren() > 0) {
                for (String child : n.childNames()) {
                    pending.push(path + "/" + child);
                }
            } else if (path.endsWith(suffix)) {
                // The first occurrence, as ZooKeeper cuts the path.
                recompute(path.substring(ROOT.length(), path.indexOf(suffix)));
            }
        }
    }

    /** Sets the stats node of the quota on {@code quota} to the count and bytes of that subtree now. */
    private void recompute(String quota) {
        Znode stats = tree.node(ROOT + quota + "/" + STATS);
        if (stats == null) {
            return;
        }
        long count = 0;
        long bytes = 0;
        Deque<String> pending = new ArrayDeque<>();
        // ZooKeeper names the root "" too: a stats node right under /zookeeper/quota counts the whole tree.
        String start = quota.isEmpty() ? "/" : quota;
        if (tree.node(start) != null) {
            pending.push(start);
        }
        while (!pending.isEmpty()) {
            String path = pending.pop();
            Znode n = tree.node(path);
            count++;
            bytes += Math.max(0, n.dataLength());
            if (n.numChildren() > 0) {
                for (String child : n.childNames()) {
                    pending.push(path.equals("/") ? "/" + child : path + "/" + child);
                }
            }
        }
        tree.replaceDataOnly(ROOT + quota + "/" + STATS, QuotaText.usage(count, bytes).bytes());
    }

    // ---- enforcement -------------------------------------------------------------------------------------

    /**
     * ZooKeeper's {@code checkQuota} for a create ({@code countDiff} 1) or a setData under {@code path}:
     * against the state before the open multi, as ZooKeeper checks each op of a multi against its committed
     * tree. Over a soft limit logs a warning; over a hard limit is QuotaExceeded.
     */
    void check(String path, long bytesDiff, int countDiff) throws KeeperError {
        String quota = quotaOf(path, true);
        if (quota == null) {
            return;
        }
        Znode limitsNode = tree.beforeMulti(ROOT + quota + "/" + LIMITS);
        QuotaText limits = limitsNode == null ? null : QuotaText.parse(limitsNode.data());
        if (limits == null) {
            return;
        }
        boolean checkCount = countDiff != 0
                && (limits.get(QuotaText.COUNT) > -1 || limits.get(QuotaText.COUNT_HARD) > -1);
        boolean checkBytes = bytesDiff != 0
                && (limits.get(QuotaText.BYTES) > -1 || limits.get(QuotaText.BYTES_HARD) > -1);
        if (!checkCount && !checkBytes) {
            return;
        }
        Znode statsNode = tree.beforeMulti(ROOT + quota + "/" + STATS);
        QuotaText usage = statsNode == null ? null : QuotaText.parse(statsNode.data());
        if (usage == null) {
            return;
        }
        if (checkCount) {
            within(quota, "count", usage.get(QuotaText.COUNT) + countDiff, limits, QuotaText.COUNT,
                    QuotaText.COUNT_HARD, "CountLimit");
        }
        if (checkBytes) {
            within(quota, "bytes", usage.get(QuotaText.BYTES) + bytesDiff, limits, QuotaText.BYTES,
                    QuotaText.BYTES_HARD, "ByteLimit");
        }
    }

    private static void within(String quota, String what, long value, QuotaText limits, String soft, String hard,
                               String limitName) throws KeeperError {
        boolean isHard = limits.get(hard) > -1;
        long limit = limits.limit(soft, hard);
        if (value > limit) {
            LOG.warn("Quota exceeded: {} [current {}={}, {}{}={}]", quota, what, value, isHard ? "hard" : "soft",
                    limitName, limit);
            if (isHard) {
                throw new KeeperError(ErrorCode.QUOTA_EXCEEDED);
            }
        }
    }

    // ---- which quota --------------------------------------------------------------------------------------

    /**
     * The deepest path at or above {@code path} (the root excepted) that has a limits node, or null; read
     * from the state before the open multi when {@code beforeMulti}.
     */
    String quotaOf(String path, boolean beforeMulti) {
        Znode quotaRoot = tree.node(ROOT);
        if (quotaRoot == null || !beforeMulti && quotaRoot.numChildren() == 0) {
            return null; // no quota at all: the common case costs one lookup
        }
        String p = path;
        while (p.length() > 1) {
            String limits = ROOT + p + "/" + LIMITS;
            if ((beforeMulti ? tree.beforeMulti(limits) : tree.node(limits)) != null) {
                return p;
            }
            int slash = p.lastIndexOf('/');
            if (slash <= 0) {
                return null;
            }
            p = p.substring(0, slash);
        }
        return null;
    }

    private static long length(byte[] data) {
        return data == null ? 0 : data.length;
    }
}
