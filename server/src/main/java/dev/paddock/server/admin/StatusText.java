package dev.paddock.server.admin;

import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.StateMachine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * srvr, stat and cons, line for line as ZooKeeper 3.9.5 prints them, so zkServer.sh-style scripts and
 * monitoring that parse them keep working, and the AdminServer's server_stats, stats and connections,
 * field for field as ZooKeeper 3.9.5 answers them. Both render one {@link Summary}, taken on the request
 * thread; the JSON forms also carry the directory sizes, which the caller reads off that thread.
 */
final class StatusText {
    /** Proposal sizes are not measured yet: ZooKeeper's value before its first proposal, "none recorded". */
    static final String NO_PROPOSAL_SIZES = "-1/-1/-1";

    private final StateMachine stateMachine;
    private final ServerView server;
    private final ServerStats stats;
    private final ServerFacts facts;
    private final Clock clock;

    /** What srvr, stat and cons show, as it was at one moment on the request thread. */
    record Summary(long minLatencyMs, double avgLatencyMs, long maxLatencyMs, long received, long sent,
                   int connections, int outstanding, long zxid, String mode, int nodeCount,
                   List<ServerView.Client> clients, long lastResponseBytes, long minResponseBytes,
                   long maxResponseBytes, long uptimeMs, long upstreamZxid) {
        boolean leader() {
            return "leader".equals(mode);
        }
    }

    StatusText(StateMachine stateMachine, ServerView server, ServerStats stats, ServerFacts facts, Clock clock) {
        this.stateMachine = stateMachine;
        this.server = server;
        this.stats = stats;
        this.facts = facts;
        this.clock = clock;
    }

    /** On the request thread. */
    Summary collect() {
        return new Summary(stats.minLatencyMs(), stats.avgLatencyMs(), stats.maxLatencyMs(), stats.packetsReceived(),
                stats.packetsSent(), server.connectionCount(), server.outstandingRequests(), stateMachine.lastZxid(),
                server.mode(), nodeCount(stateMachine), List.copyOf(server.clients()), stats.lastResponseBytes(),
                stats.minResponseBytes(), stats.maxResponseBytes(), clock.monotonicMs() - facts.startedMs(),
                server.upstreamZxid());
    }

    /**
     * srvr, and stat with {@code withClients}: the version, stat's client list (each connection, then an
     * empty line), the server statistics and the node count; a leader adds its proposal sizes.
     */
    static String summary(Summary s, boolean withClients) {
        StringBuilder sb = new StringBuilder();
        sb.append("Zookeeper version: ").append(FourLetterWords.VERSION).append('\n');
        if ("read-only".equals(s.mode())) {
            sb.append("READ-ONLY mode; serving only read-only clients\n");
        }
        if (withClients) {
            sb.append("Clients:\n");
            for (ServerView.Client c : s.clients()) {
                connection(sb, c, true);
                sb.append('\n');
            }
            sb.append('\n');
        }
        sb.append("Latency min/avg/max: ").append(s.minLatencyMs()).append('/').append(s.avgLatencyMs())
                .append('/').append(s.maxLatencyMs()).append('\n');
        sb.append("Received: ").append(s.received()).append('\n');
        sb.append("Sent: ").append(s.sent()).append('\n');
        sb.append("Connections: ").append(s.connections()).append('\n');
        sb.append("Outstanding: ").append(s.outstanding()).append('\n');
        sb.append("Zxid: 0x").append(Long.toHexString(s.zxid())).append('\n');
        sb.append("Mode: ").append(s.mode()).append('\n');
        sb.append("Node count: ").append(s.nodeCount()).append('\n');
        if (s.upstreamZxid() >= 0) {
            mirrorLag(sb, s.zxid(), s.upstreamZxid());
        }
        if (s.leader()) {
            sb.append("Proposal sizes last/min/max: ").append(NO_PROPOSAL_SIZES).append('\n');
        }
        return sb.toString();
    }

    /**
     * A live mirror's distance from the ZooKeeper leader it follows (after ZooKeeper's lines, so scripts that
     * read those find them where they were): the leader's last zxid as its pings tell it, and the transactions
     * this mirror has still to apply when both are in the same epoch.
     */
    private static void mirrorLag(StringBuilder sb, long zxid, long upstream) {
        sb.append("Leader zxid: 0x").append(Long.toHexString(upstream)).append('\n');
        if (upstream >>> 32 == zxid >>> 32) {
            sb.append("Lag: ").append(Math.max(0, upstream - zxid)).append('\n');
        } else {
            sb.append("Lag: unknown (another epoch)\n");
        }
    }

    /** cons: every connection with its session's statistics, one per line, then an empty line. */
    static String connections(Summary s) {
        StringBuilder sb = new StringBuilder();
        for (ServerView.Client c : s.clients()) {
            connection(sb, c, false);
            sb.append('\n');
        }
        sb.append('\n');
        return sb.toString();
    }

    /**
     * One connection: {@code  /ip:port[interest](queued=..,recved=..,sent=..)}, and for cons, when it has a
     * session, {@code sid, lop, est, to, lcxid} (only once there is one), {@code lzxid, lresp, llat, minlat,
     * avglat, maxlat}.
     */
    private static void connection(StringBuilder sb, ServerView.Client c, boolean brief) {
        sb.append(" /").append(c.remoteAddress()).append('[').append(Integer.toHexString(c.interestOps()))
                .append("](queued=").append(c.queued()).append(",recved=").append(c.received())
                .append(",sent=").append(c.sent());
        if (!brief && c.sessionId() != 0) {
            sb.append(",sid=0x").append(Long.toHexString(c.sessionId()))
                    .append(",lop=").append(c.lastOp())
                    .append(",est=").append(c.establishedWallMs())
                    .append(",to=").append(c.timeoutMs());
            if (c.lastCxid() >= 0) {
                sb.append(",lcxid=0x").append(Long.toHexString(c.lastCxid()));
            }
            sb.append(",lzxid=0x").append(Long.toHexString(c.lastZxid()))
                    .append(",lresp=").append(c.lastResponseMs())
                    .append(",llat=").append(c.lastLatencyMs())
                    .append(",minlat=").append(c.minLatencyMs())
                    .append(",avglat=").append(c.avgLatencyMs())
                    .append(",maxlat=").append(c.maxLatencyMs());
        }
        sb.append(')');
    }

    /**
     * server_stats (and stats, which adds the brief connection list): the version, read_only, ZooKeeper's
     * ServerStats bean as its JSON shows it, the client response sizes, a leader's proposal sizes and the
     * node count. Paddock measures no fsync threshold (its count stays 0), has no TLS (the non-mTLS counts are
     * 0) and no authentication failures to count yet.
     */
    static Map<String, Object> json(Summary s, boolean withClients, long dataDirBytes, long logDirBytes) {
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("packets_sent", s.sent());
        st.put("packets_received", s.received());
        st.put("fsync_threshold_exceed_count", 0L);
        st.put("client_response_stats", responseSizes(s));
        st.put("uptime", s.uptimeMs());
        st.put("provider_null", false);
        st.put("last_processed_zxid", s.zxid());
        st.put("outstanding_requests", (long) s.outstanding());
        st.put("data_dir_size", dataDirBytes);
        st.put("log_dir_size", logDirBytes);
        st.put("server_state", s.mode());
        st.put("avg_latency", s.avgLatencyMs());
        st.put("max_latency", s.maxLatencyMs());
        st.put("min_latency", s.minLatencyMs());
        st.put("num_alive_client_connections", s.connections());
        st.put("auth_failed_count", 0L);
        st.put("non_mtlsremote_conn_count", 0L);
        st.put("non_mtlslocal_conn_count", 0L);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", FourLetterWords.VERSION);
        m.put("read_only", "read-only".equals(s.mode()));
        m.put("server_stats", st);
        m.put("client_response", responseSizes(s));
        if (s.leader()) {
            m.put("proposal_stats", Map.of("last_buffer_size", -1L, "min_buffer_size", -1L, "max_buffer_size", -1L));
        }
        m.put("node_count", s.nodeCount());
        if (withClients) {
            m.put("connections", connectionsJson(s, true));
            m.put("secure_connections", List.of());
        }
        return m;
    }

    private static Map<String, Object> responseSizes(Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("last_buffer_size", s.lastResponseBytes());
        m.put("min_buffer_size", s.minResponseBytes());
        m.put("max_buffer_size", s.maxResponseBytes());
        return m;
    }

    /** connections (cons) and stats' list: one object per connection; the full form has the session's fields. */
    static List<Object> connectionsJson(Summary s, boolean brief) {
        List<Object> list = new ArrayList<>();
        for (ServerView.Client c : s.clients()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("remote_socket_address", c.remoteAddress());
            m.put("interest_ops", c.interestOps());
            m.put("outstanding_requests", (long) c.queued());
            m.put("packets_received", c.received());
            m.put("packets_sent", c.sent());
            if (!brief) {
                m.put("session_id", c.sessionId());
                m.put("last_operation", c.lastOp());
                m.put("established", c.establishedWallMs());
                m.put("session_timeout", c.timeoutMs());
                m.put("last_cxid", c.lastCxid());
                m.put("last_zxid", c.lastZxid());
                m.put("last_response_time", c.lastResponseMs());
                m.put("last_latency", c.lastLatencyMs());
                m.put("min_latency", c.minLatencyMs());
                m.put("avg_latency", c.avgLatencyMs());
                m.put("max_latency", c.maxLatencyMs());
            }
            list.add(m);
        }
        return list;
    }

    /** ZooKeeper's count includes the root twice (it is stored under "" and "/"); monitoring expects that. */
    static int nodeCount(StateMachine stateMachine) {
        return stateMachine.tree().nodeCount() + 1;
    }
}
