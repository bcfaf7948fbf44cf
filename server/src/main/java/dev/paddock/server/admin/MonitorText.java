package dev.paddock.server.admin;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.stats.Summary;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.QuotaGauges;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * mntr: every {@code zk_*} key ZooKeeper 3.9.5 prints for this server's role, in its order
 * ({@link MonitorKeys}), as "zk_key TAB value" lines, with Paddock's own values. Integers print as
 * integers, other numbers as doubles (averages rounded to 4 places), as ZooKeeper prints them.
 *
 * <p>A key whose value Paddock does not know yet prints what is true of Paddock where that is clear (0
 * for TLS, local sessions and throttling it does not have, -1 "none recorded" for proposal sizes it does
 * not measure) and 0 otherwise; each is named with its reason in {@link #knownValues} and
 * {@link #metric}, and listed in the README.
 */
final class MonitorText {
    private static final MonitorKeys KEYS = MonitorKeys.load();
    private static final String OPEN_FDS = "open_file_descriptor_count";
    private static final String MAX_FDS = "max_file_descriptor_count";

    private final ServerFacts facts;
    private final StateMachine stateMachine;
    private final ServerView server;
    private final WatchManager watches;
    private final ServerStats stats;
    private final Clock clock;
    /** The leader's view of its learners (none when not leading); request thread. */
    private final java.util.function.Supplier<java.util.List<LearnerLag>> learners;
    /** When this member became a serving leader (monotonic ms), -1 when it is not one. */
    private long leaderSinceMs = -1;

    MonitorText(ServerFacts facts, StateMachine stateMachine, ServerView server, WatchManager watches,
                ServerStats stats, Clock clock, java.util.function.Supplier<java.util.List<LearnerLag>> learners) {
        this.learners = learners;
        this.facts = facts;
        this.stateMachine = stateMachine;
        this.server = server;
        this.watches = watches;
        this.stats = stats;
        this.clock = clock;
    }

    /** Every tick on the request thread: notes when leadership began, for zk_leader_uptime (to a tick). */
    void observeRole() {
        boolean leading = "leader".equals(server.mode()) && server.serving();
        if (!leading) {
            leaderSinceMs = -1;
        } else if (leaderSinceMs < 0) {
            leaderSinceMs = clock.monotonicMs();
        }
    }

    /**
     * On the request thread: the role's keys and values, in order, except the file descriptor counts,
     * which {@link #text} reads off the request thread.
     */
    Map<String, Object> collect() {
        Map<String, Object> known = knownValues();
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        // A read-only member runs a plain server in ZooKeeper, which prints the standalone keys.
        for (String key : KEYS.values(server.readOnly() ? "standalone" : server.mode())) {
            values.put(key, known.getOrDefault(key, 0L));
        }
        // ZooKeeper's gauge sets come after its gauges: the quota gauges, one key per namespace.
        QuotaGauges.of(stateMachine).forEach((name, set) -> set.forEach((ns, v) -> values.put(ns + "_" + name, v)));
        boolean countersDone = false;
        for (MonitorKeys.Metric m : KEYS.metrics()) {
            if (!countersDone && m.kind() != MonitorKeys.Kind.COUNTER) {
                // Its counter sets come after its counters, before the summaries.
                stats.quotaExceededCounts().forEach((ns, n) -> values.put(ns + "_quota_exceeded_error_per_namespace", n));
                countersDone = true;
            }
            metric(m, values);
        }
        return values;
    }

    /**
     * Off the request thread: the values with the process's file descriptor counts filled in (both left out
     * where the platform cannot tell, as ZooKeeper does). mntr prints them as lines, monitor as JSON.
     */
    static Map<String, Object> complete(Map<String, Object> collected) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : collected.entrySet()) {
            Object value = e.getValue();
            if (e.getKey().equals(OPEN_FDS) || e.getKey().equals(MAX_FDS)) {
                if (!(os instanceof UnixOperatingSystemMXBean unix)) {
                    continue;
                }
                value = e.getKey().equals(OPEN_FDS) ? unix.getOpenFileDescriptorCount()
                        : unix.getMaxFileDescriptorCount();
            }
            values.put(e.getKey(), value);
        }
        return values;
    }

    /** mntr's lines: "zk_key TAB value". */
    static String text(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        complete(values).forEach((key, value) -> sb.append("zk_").append(key).append('\t').append(format(value))
                .append('\n'));
        return sb.toString();
    }

    private static String format(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return value.toString();
        }
        if (value instanceof Number n) {
            return Double.toString(n.doubleValue());
        }
        return String.valueOf(value);
    }

    /** The monitor values and gauges Paddock knows; the rest of a role's keys print 0 (see the class). */
    private Map<String, Object> knownValues() {
        Map<String, Object> v = new HashMap<>();
        String mode = server.mode();
        v.put("version", FourLetterWords.VERSION);
        v.put("server_state", mode);
        v.put("peer_state", peerState(mode));
        // observer_master_id: the member an observer syncs from; not exposed by the ensemble layer yet: 0.
        v.put("ephemerals_count", stateMachine.tree().ephemeralCount());
        v.put("num_alive_connections", server.connectionCount());
        v.put("avg_latency", stats.avgLatencyMs());
        v.put("min_latency", stats.minLatencyMs());
        v.put("max_latency", stats.maxLatencyMs());
        v.put("outstanding_requests", server.outstandingRequests());
        v.put("znode_count", StatusText.nodeCount(stateMachine));
        v.put("watch_count", watches.watchCount());
        v.put("global_sessions", stateMachine.sessions().size());
        v.put("local_sessions", server.localSessionCount());
        v.put("packets_sent", stats.packetsSent());
        v.put("packets_received", stats.packetsReceived());
        v.put("last_client_response_size", stats.lastResponseBytes());
        v.put("min_client_response_size", stats.minResponseBytes());
        v.put("max_client_response_size", stats.maxResponseBytes());
        v.put("connection_drop_probability", stats.connectionDropProbability());
        // Since this member took up its role, as ZooKeeper counts from its server object's creation.
        long since = stats.roleStartedMs();
        v.put("uptime", clock.monotonicMs() - (since < 0 ? facts.startedMs() : since));
        // No TLS yet: no handshakes, no client-certificate failures (auth_failed_count, non_mtls_*).
        v.put("outstanding_tls_handshake", 0);
        v.put("auth_failed_count", 0);
        v.put("non_mtls_remote_conn_count", 0);
        v.put("non_mtls_local_conn_count", 0);
        // approximate_data_size (path and data bytes of every node) needs a read of the whole tree that the
        // tree package does not offer yet: 0.
        v.put("approximate_data_size", 0L);
        v.put("quorum_size", facts.quorumSize());
        leaderValues(v);
        return v;
    }

    /**
     * A leader's keys. Its learners as ZooKeeper counts its learner handlers: {@code learners} every
     * connected one, {@code synced_followers} the voters past their sync, {@code synced_observers} the
     * observers past theirs; Paddock has no non-voting followers (an unlisted member that follows without a
     * vote is counted as such in ZooKeeper only while a reconfig runs) and no queue of sync requests
     * ({@code pending_syncs}): 0. Proposal sizes are not measured: -1, ZooKeeper's "none recorded".
     */
    private void leaderValues(Map<String, Object> v) {
        java.util.List<LearnerLag> connected = learners.get();
        v.put("learners", connected.size());
        v.put("synced_followers", connected.stream().filter(l -> l.synced() && !l.observer()).count());
        v.put("synced_observers", connected.stream().filter(l -> l.synced() && l.observer()).count());
        v.put("leader_uptime", leaderSinceMs < 0 ? 0 : clock.monotonicMs() - leaderSinceMs);
        v.put("last_proposal_size", -1);
        v.put("min_proposal_size", -1);
        v.put("max_proposal_size", -1);
    }

    /** ZooKeeper's detailed peer state: the role, then its phase once past election. */
    private String peerState(String mode) {
        String state = switch (mode) {
            case "leader" -> "leading";
            case "follower" -> "following";
            case "observer" -> "observing";
            default -> "looking";
        };
        if (state.equals("looking")) {
            return state;
        }
        return state + (server.serving() ? " - broadcast" : " - synchronization");
    }

    /**
     * The metrics every role prints. Paddock measures the bytes received, the handshakes, the connections
     * refused for maxClientCnxns, the read and update latencies and its request throttle's waits, stale
     * requests and queue time, the snapshot and restore commands' errors, rate limits and restore time; the other counters and summaries
     * belong to ZooKeeper's request pipeline (its processors, queues, caches and throttles, which Paddock
     * does not have), to its quorum and storage internals (not exposed to this package yet) or to
     * features Paddock lacks (TLS, quotas, SASL between members), and print 0.
     */
    private void metric(MonitorKeys.Metric m, Map<String, Object> values) {
        String name = m.name();
        if (m.kind() == MonitorKeys.Kind.COUNTER) {
            values.put(name, switch (name) {
                case "bytes_received_count" -> stats.bytesReceived();
                case "connection_request_count" -> stats.connectionRequests();
                case "connection_rejected" -> stats.connectionsRejected();
                case "request_throttle_wait_count" -> stats.requestThrottleWaits();
                case "stale_requests" -> stats.staleRequests();
                case "stale_requests_dropped" -> stats.staleRequestsDropped();
                case "throttled_ops" -> stats.throttledOps();
                default -> Math.max(0L, stats.adminCommands().counter(name));
            });
            return;
        }
        Summary s = switch (name) {
            case "readlatency" -> stats.readLatency();
            case "updatelatency" -> stats.updateLatency();
            case "request_throttle_queue_time_ms" -> stats.requestThrottleQueueTime();
            case "restore_time" -> stats.adminCommands().restoreTime();
            default -> null;
        };
        values.put("avg_" + name, s == null ? 0.0 : s.avg());
        values.put("min_" + name, s == null ? 0L : s.min());
        values.put("max_" + name, s == null ? 0L : s.max());
        values.put("cnt_" + name, s == null ? 0L : s.count());
        values.put("sum_" + name, s == null ? 0L : s.sum());
        if (m.kind() == MonitorKeys.Kind.PERCENTILES) {
            long[] p = s == null ? new long[4] : s.percentiles();
            values.put("p50_" + name, p[0]);
            values.put("p95_" + name, p[1]);
            values.put("p99_" + name, p[2]);
            values.put("p999_" + name, p[3]);
        }
    }
}
