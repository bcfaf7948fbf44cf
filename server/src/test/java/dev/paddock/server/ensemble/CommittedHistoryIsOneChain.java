package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.quorum.Zxid;
import dev.paddock.server.tree.ApplyResult;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every member applies a prefix of one history: at each zxid the same entry, byte for byte, and never an
 * entry after skipping one that another member applied (no committed zxid is lost, changed or reordered).
 */
final class CommittedHistoryIsOneChain implements GlueInvariant {
    private final TreeMap<Long, byte[]> history = new TreeMap<>();
    private final Map<Integer, Long> lastApplied = new HashMap<>();

    @Override
    public void applied(SimNode node, Entry entry, ApplyResult result) {
        long zxid = entry.zxid();
        byte[] known = history.get(zxid);
        if (known == null) {
            if (!history.isEmpty() && zxid < history.lastKey()) {
                throw violation("member " + node.id + " applied " + Zxid.hex(zxid) + ", which members that applied "
                        + "up to " + Zxid.hex(history.lastKey()) + " never did");
            }
            history.put(zxid, entry.payload());
        } else if (!Arrays.equals(known, entry.payload())) {
            throw violation("member " + node.id + " applied a different entry at " + Zxid.hex(zxid));
        }
        long previous = lastApplied.getOrDefault(node.id, 0L);
        Long skipped = history.higherKey(previous);
        if (skipped != null && skipped < zxid) {
            throw violation("member " + node.id + " went from " + Zxid.hex(previous) + " to " + Zxid.hex(zxid)
                    + ", skipping the committed " + Zxid.hex(skipped));
        }
        lastApplied.put(node.id, zxid);
    }

    @Override
    public void installed(SimNode node, Snapshot snapshot) {
        lastApplied.put(node.id, snapshot.zxid());
    }

    @Override
    public void started(SimNode node) {
        lastApplied.put(node.id, node.stateMachine.lastZxid());
    }
}
