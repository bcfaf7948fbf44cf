package dev.paddock.server.admin;

import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import java.util.Locale;

/**
 * The four-letter words on the client port, in ZooKeeper's output format so monitoring scripts keep
 * working. Called on the request thread, so the counts are consistent.
 */
public final class FourLetterWords {
    /** What srvr reports as the version: the ZooKeeper release whose protocol Paddock speaks, then ours. */
    public static final String VERSION = "3.9.5-paddock-" + Version.PADDOCK + ", built on " + Version.BUILT;

    private final ServerConfig config;
    private final StateMachine stateMachine;
    private final ServerView server;
    private final WatchManager watches;
    private final ServerStats stats;
    private java.util.function.Supplier<String> snapCommand = () -> "snap is not available: no storage\n";

    public FourLetterWords(ServerConfig config, StateMachine stateMachine, ServerView server, WatchManager watches,
                           ServerStats stats) {
        this.config = config;
        this.stateMachine = stateMachine;
        this.server = server;
        this.watches = watches;
        this.stats = stats;
    }

    /** What {@code snap} runs: starts a snapshot and says what it did (set by the storage wiring). */
    public void snapCommand(java.util.function.Supplier<String> command) {
        this.snapCommand = command;
    }

    public String answer(String word) {
        if (!config.fourLetterWords().contains(word)) {
            return word + " is not executed because it is not in the whitelist.\n";
        }
        return switch (word) {
            case "ruok" -> "imok";
            case "srvr" -> summary(false);
            case "stat" -> summary(true);
            case "isro" -> "rw";
            case "srst" -> {
                stats.reset();
                yield "Server stats reset.\n";
            }
            case "wchs" -> watches.watchCount() + " watches\n";
            case "mntr" -> monitor();
            case "conf" -> conf();
            case "snap" -> snapCommand.get();
            default -> word + " is not supported by Paddock yet.\n";
        };
    }

    private String summary(boolean withClients) {
        StringBuilder sb = new StringBuilder();
        sb.append("Zookeeper version: ").append(VERSION).append('\n');
        if (withClients) {
            sb.append("Clients:\n");
            for (ServerView.Client c : server.clients()) {
                sb.append(" /").append(c.remoteAddress()).append("[1](queued=").append(c.queued())
                        .append(",recved=").append(c.received()).append(",sent=").append(c.sent()).append(")\n");
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "Latency min/avg/max: %d/%.4f/%d%n", stats.minLatencyMs(),
                stats.avgLatencyMs(), stats.maxLatencyMs()));
        sb.append("Received: ").append(stats.packetsReceived()).append('\n');
        sb.append("Sent: ").append(stats.packetsSent()).append('\n');
        sb.append("Connections: ").append(server.connectionCount()).append('\n');
        sb.append("Outstanding: 0\n");
        sb.append("Zxid: 0x").append(Long.toHexString(stateMachine.lastZxid())).append('\n');
        sb.append("Mode: ").append(server.mode()).append('\n');
        sb.append("Node count: ").append(nodeCount()).append('\n');
        return sb.toString();
    }

    private String monitor() {
        StringBuilder sb = new StringBuilder();
        line(sb, "zk_version", VERSION);
        line(sb, "zk_server_state", server.mode());
        line(sb, "zk_avg_latency", String.format(Locale.ROOT, "%.4f", stats.avgLatencyMs()));
        line(sb, "zk_max_latency", stats.maxLatencyMs());
        line(sb, "zk_min_latency", stats.minLatencyMs());
        line(sb, "zk_packets_received", stats.packetsReceived());
        line(sb, "zk_packets_sent", stats.packetsSent());
        line(sb, "zk_num_alive_connections", server.connectionCount());
        line(sb, "zk_outstanding_requests", 0);
        line(sb, "zk_znode_count", nodeCount());
        line(sb, "zk_watch_count", watches.watchCount());
        line(sb, "zk_ephemerals_count", stateMachine.tree().ephemeralCount());
        line(sb, "zk_global_sessions", stateMachine.sessions().size());
        return sb.toString();
    }

    private String conf() {
        StringBuilder sb = new StringBuilder();
        sb.append("clientPort=").append(config.clientAddress().getPort()).append('\n');
        sb.append("dataDir=").append(config.dataDir().toAbsolutePath()).append('\n');
        sb.append("dataLogDir=").append(config.dataLogDir().toAbsolutePath()).append('\n');
        sb.append("tickTime=").append(config.tickTimeMs()).append('\n');
        sb.append("maxClientCnxns=").append(config.maxClientCnxns()).append('\n');
        sb.append("minSessionTimeout=").append(config.minSessionTimeoutMs()).append('\n');
        sb.append("maxSessionTimeout=").append(config.maxSessionTimeoutMs()).append('\n');
        sb.append("serverId=0\n");
        return sb.toString();
    }

    /** ZooKeeper's count includes the root twice (it is stored under "" and "/"); monitoring expects that. */
    private int nodeCount() {
        return stateMachine.tree().nodeCount() + 1;
    }

    private static void line(StringBuilder sb, String key, Object value) {
        sb.append(key).append('\t').append(value).append('\n');
    }
}
