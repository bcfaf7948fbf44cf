package dev.paddock.server.tree;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ZooKeeper 3.9.5's quota gauges, summed per top-level namespace (the first component of the quota'd path):
 * {@code quota_count_limit_per_namespace} and {@code quota_bytes_limit_per_namespace} from the limits nodes
 * (the hard limit where set, else the soft one), {@code quota_count_usage_per_namespace} and
 * {@code quota_bytes_usage_per_namespace} from the stats nodes; only leaf nodes of {@code /zookeeper/quota}
 * count, as in ZooKeeper. mntr prints each as {@code <namespace>_<name>}, in the order ZooKeeper's registry
 * iterates them (hash maps of the same kind, filled in the same order, iterate alike). Read on the request thread.
 */
public final class QuotaGauges {
    public static final String COUNT_LIMIT = "quota_count_limit_per_namespace";
    public static final String BYTES_LIMIT = "quota_bytes_limit_per_namespace";
    public static final String COUNT_USAGE = "quota_count_usage_per_namespace";
    public static final String BYTES_USAGE = "quota_bytes_usage_per_namespace";

    private QuotaGauges() {
    }

    /** Gauge name to (namespace to value), in ZooKeeper's order; empty maps when there is no quota. */
    public static Map<String, Map<String, Long>> of(StateMachine stateMachine) {
        Map<String, Map<String, Long>> sets = new ConcurrentHashMap<>();
        for (String name : new String[] {COUNT_LIMIT, BYTES_LIMIT, COUNT_USAGE, BYTES_USAGE}) {
            sets.put(name, new ConcurrentHashMap<>());
        }
        DataTree tree = stateMachine.tree();
        Deque<String> pending = new ArrayDeque<>();
        if (tree.node(Quotas.ROOT) != null) {
            pending.push(Quotas.ROOT);
        }
        while (!pending.isEmpty()) {
            String path = pending.pop();
            Znode n = tree.node(path);
            if (n.numChildren() > 0) {
                for (String child : n.childNames()) {
                    pending.push(path + "/" + child);
                }
                continue;
            }
            collect(path, n.data(), sets);
        }
        Map<String, Map<String, Long>> ordered = new LinkedHashMap<>();
        sets.forEach(ordered::put);
        return ordered;
    }

    private static void collect(String path, byte[] data, Map<String, Map<String, Long>> sets) {
        boolean limits = path.endsWith("/" + Quotas.LIMITS);
        if (!limits && !path.endsWith("/" + Quotas.STATS) || data == null) {
            return;
        }
        String[] parts = path.substring(Quotas.ROOT.length()).split("/");
        QuotaText text = QuotaText.parse(data);
        if (parts.length < 2 || text == null) {
            return;
        }
        String namespace = parts[1];
        if (limits) {
            add(sets.get(COUNT_LIMIT), namespace, text.limit(QuotaText.COUNT, QuotaText.COUNT_HARD));
            add(sets.get(BYTES_LIMIT), namespace, text.limit(QuotaText.BYTES, QuotaText.BYTES_HARD));
        } else {
            add(sets.get(COUNT_USAGE), namespace, text.get(QuotaText.COUNT));
            add(sets.get(BYTES_USAGE), namespace, text.get(QuotaText.BYTES));
        }
    }

    private static void add(Map<String, Long> set, String namespace, long value) {
        set.merge(namespace, value, Long::sum);
    }
}
