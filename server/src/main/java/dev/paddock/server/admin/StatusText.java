package dev.paddock.server.admin;

import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.tree.StateMachine;

/**
 * srvr, stat and cons, line for line as ZooKeeper 3.9.5 prints them, so zkServer.sh-style scripts and
 * monitoring that parse them keep working. Request thread only.
 */
final class StatusText {
    /** Proposal sizes are not measured yet: ZooKeeper's value before its first proposal, "none recorded". */
    static final String NO_PROPOSAL_SIZES = "-1/-1/-1";

    private final StateMachine stateMachine;
    private final ServerView server;
    private final ServerStats stats;

    StatusText(StateMachine stateMachine, ServerView server, ServerStats stats) {
        this.stateMachine = stateMachine;
        this.server = server;
        this.stats = stats;
    }

    /**
     * srvr, and stat with {@code withClients}: the version, stat's client list (each connection, then an
     * empty line), the server statistics and the node count; a leader adds its proposal sizes.
     */
    String summary(boolean withClients) {
        StringBuilder sb = new StringBuilder();
        sb.append("Zookeeper version: ").append(FourLetterWords.VERSION).append('\n');
        if (withClients) {
            sb.append("Clients:\n");
            for (ServerView.Client c : server.clients()) {
                connection(sb, c, true);
                sb.append('\n');
            }
            sb.append('\n');
        }
        sb.append("Latency min/avg/max: ").append(stats.minLatencyMs()).append('/').append(stats.avgLatencyMs())
                .append('/').append(stats.maxLatencyMs()).append('\n');
        sb.append("Received: ").append(stats.packetsReceived()).append('\n');
        sb.append("Sent: ").append(stats.packetsSent()).append('\n');
        sb.append("Connections: ").append(server.connectionCount()).append('\n');
        sb.append("Outstanding: ").append(server.outstandingRequests()).append('\n');
        sb.append("Zxid: 0x").append(Long.toHexString(stateMachine.lastZxid())).append('\n');
        sb.append("Mode: ").append(server.mode()).append('\n');
        sb.append("Node count: ").append(nodeCount(stateMachine)).append('\n');
        if ("leader".equals(server.mode())) {
            sb.append("Proposal sizes last/min/max: ").append(NO_PROPOSAL_SIZES).append('\n');
        }
        return sb.toString();
    }

    /** cons: every connection with its session's statistics, one per line, then an empty line. */
    String connections() {
        StringBuilder sb = new StringBuilder();
        for (ServerView.Client c : server.clients()) {
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

    /** ZooKeeper's count includes the root twice (it is stored under "" and "/"); monitoring expects that. */
    static int nodeCount(StateMachine stateMachine) {
        return stateMachine.tree().nodeCount() + 1;
    }
}
